// Tests for the ModelGraph → GraphPayload conversion (src/core/graph/graphPayload.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphPayload, attrSummary, scopeChain, shortOpName, groupScope } from '../../src/core/graph/graphPayload';
import { isGraphPayload, type PayloadFusion } from '../../src/protocol';
import type { GraphNode, GraphValue, ModelGraph } from '../../src/core/graph/modelGraph';
import { dim, symDim } from '../../src/core/shape/dim';
import { roleOfKey } from '../../src/core/ops/index';

function value(id: string, source: GraphValue['source'], producer: string | null, shape = [symDim('B', 4), dim(8)]): GraphValue {
  return { id, shape, dtype: 'float32', source, producer };
}
function node(id: string, op: string, scope: string, inputs: string[], outputs: string[], line: number): GraphNode {
  return {
    id,
    op,
    role: roleOfKey(op),
    modulePath: op.startsWith('nn.') ? `${scope ? scope + '.' : ''}${id}` : null,
    scope,
    attrs: { in_features: 8, out_features: 8, bias: true },
    args: {},
    inputs,
    outputs,
    params: op.startsWith('nn.') ? 72 : 0,
    flops: 128,
    range: { file: '/w/m.py', startLine: line, startCol: 0, endLine: line, endCol: 5 },
    callPath: [],
  };
}

function sample(): ModelGraph {
  const values = new Map<string, GraphValue>([
    ['x', value('x', 'input', null)],
    ['w', value('w', 'param', null)],
    ['v1', value('v1', 'node', 'fc1')],
    ['v2', value('v2', 'node', 'fc2')],
    ['v3', value('v3', 'node', 'add')],
  ]);
  return {
    expr: 'Net()',
    className: 'Net',
    file: '/w/m.py',
    inputs: [{ name: 'x', shape: values.get('x')!.shape!, dtype: 'float32', value: 'x' }],
    inputKind: 'args',
    outputs: ['v3'],
    outputKind: 'tensor',
    values,
    nodes: [
      node('fc1', 'nn.Linear', 'block.0', ['x'], ['v1'], 10),
      node('fc2', 'nn.Linear', 'block.1', ['v1', 'w'], ['v2'], 11),
      node('add', 'op.add', '', ['x', 'v2', 'x'], ['v3'], 12),
    ],
    modules: [{ path: 'block', type: 'nn.Sequential', depth: 1, in: [], out: [], outDtypes: [], params: 144, range: null, nodes: ['fc1', 'fc2'] }],
    lines: [],
    diagnostics: [],
    stateDict: [],
    paramsTotal: 144,
    flopsTotal: 384,
    classRange: null,
  };
}

const fusion: PayloadFusion = {
  node: 'add',
  method: 'residual',
  inputs: [],
  output: null,
  levels: 'L0+L2',
  explanation: { en: 'x + f(x)', 'zh-cn': '残差' },
  params: 0,
  flops: 128,
};

test('payload has boundary nodes, op nodes and edges carrying shapes', () => {
  const p = graphPayload(sample(), [fusion]);
  assert.ok(isGraphPayload(p));
  assert.deepEqual(
    p.nodes.map((n) => n.id),
    ['input:x', 'fc1', 'fc2', 'add', 'output:0'],
  );
  assert.deepEqual(
    p.edges.map((e) => `${e.source}->${e.target}`),
    ['input:x->fc1', 'fc1->fc2', 'input:x->add', 'fc2->add', 'add->output:0'],
  );
  assert.deepEqual(p.edges[0]!.shape, { symbolic: '[B, 8]', concrete: '[4, 8]' });
  const add = p.nodes.find((n) => n.id === 'add')!;
  assert.equal(add.fusion, 0);
  assert.equal(add.label, 'add');
  assert.equal(add.line, 12);
  assert.equal(p.nodes.find((n) => n.id === 'fc1')!.detail, 'in_features=8 out_features=8 bias=true');
  assert.equal(p.key, '/w/m.py#Net');
});

test('scopes list every ancestor with types and counts', () => {
  const p = graphPayload(sample());
  assert.deepEqual(p.scopes, [
    { path: 'block', type: 'Sequential', parent: '', nodeCount: 2 },
    { path: 'block.0', type: '', parent: 'block', nodeCount: 1 },
    { path: 'block.1', type: '', parent: 'block', nodeCount: 1 },
  ]);
});

test('helpers', () => {
  assert.deepEqual(scopeChain('a.b.c'), ['a', 'a.b', 'a.b.c']);
  assert.deepEqual(scopeChain(''), []);
  assert.equal(shortOpName('F.interpolate'), 'interpolate');
  assert.equal(attrSummary({ kernel_size: [3, 3], long: 'x'.repeat(40), sym: { symbolic: 'H/2', value: 4 } }), 'kernel_size=(3,3) sym=H/2');
});

test('a leaf module call groups under its parent module', () => {
  assert.equal(groupScope({ scope: 'conv2.0', modulePath: 'conv2.0' }), 'conv2');
  assert.equal(groupScope({ scope: 'conv1', modulePath: 'conv1' }), '');
  assert.equal(groupScope({ scope: 'layer1.0', modulePath: 'layer1.0.conv1' }), 'layer1.0');
  assert.equal(groupScope({ scope: 'up1', modulePath: null }), 'up1');
  const g = sample();
  const leaf = { ...g.nodes[0]!, modulePath: 'block.0', scope: 'block.0' };
  const p = graphPayload({ ...g, nodes: [leaf, ...g.nodes.slice(1)] });
  assert.equal(p.nodes.find((n) => n.id === 'fc1')!.scope, 'block');
  assert.deepEqual(
    p.scopes.map((s) => [s.path, s.nodeCount]),
    [
      ['block', 2],
      ['block.1', 1],
    ],
  );
});
