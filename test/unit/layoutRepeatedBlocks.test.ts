// Folding of repeated blocks: a ViT's encoder blocks and each ResNet-50 stage's identical bottlenecks open as one "×N" box,
// expand on click (run and blocks), keep fusion points marked, and frame the unfolded run; also for payloads with ONNX-style scopes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initTestParser } from '../support/pythonWasm';
import { graphOf, runModelSrc } from '../support/interpHarness';
import { graphPayload } from '../../src/core/graph/graphPayload';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import { fusionPayload } from '../../src/core/graph/fusionPayload';
import { repeatedBlocks } from '../../src/core/graph/layout/repeatedBlocks';
import { allGroupKeys, defaultExpanded, expandGroup, scopesToReveal, toLayoutGraph, visibleGraph } from '../../src/core/graph/layout/visibleGraph';
import { scopeFrames } from '../../src/core/graph/layout/scopeFrames';
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { searchItems } from '../../webview/graphView/searchNodes';
import type { GraphPayload, PayloadNode } from '../../src/protocol';
import type { ModelGraph } from '../../src/core/graph/modelGraph';

before(initTestParser);

const payloadOf = (g: ModelGraph): GraphPayload =>
  graphPayload(
    g,
    analyzeFusion(g).points.map((p) => fusionPayload(g, p)),
  );

// A ResNet-50 written the usual way: Bottleneck blocks made by _make_layer, the first of each stage with a projection shortcut.
/** The torchvision-style ResNet of the interpreter's real-model test. */
const RESNET = readFileSync(join(__dirname, 'samples/resnet_torchvision.py'), 'utf8');

test('ResNet-50: each stage opens with its identical bottlenecks folded into one "Bottleneck ×N" box; a click unfolds them', () => {
  const p = payloadOf(graphOf(runModelSrc(RESNET, 'resnet50(num_classes=10)', ['1x3x64x64'])));
  const { runs } = repeatedBlocks(p);
  assert.deepEqual(
    runs.map((r) => [r.key, r.label]),
    [
      ['layer1.1×2', 'Bottleneck ×2'],
      ['layer2.1×3', 'Bottleneck ×3'],
      ['layer3.1×5', 'Bottleneck ×5'],
      ['layer4.1×2', 'Bottleneck ×2'],
    ],
  );
  assert.equal(runs[2]!.shapeIn, runs[2]!.shapeOut);
  assert.match(runs[2]!.shapeIn, /^\[1, 1024, 4, 4\]$/);
  // the residual add of every bottleneck is a fusion point: the fold keeps one badge for them
  assert.equal(runs[2]!.fusionCount, 5);

  const expanded = defaultExpanded(p, 400);
  const v = visibleGraph(p, expanded);
  const folds = v.items.filter((it) => it.repeat);
  assert.deepEqual(
    folds.map((f) => [f.label, f.repeat]),
    [
      ['Bottleneck ×2', 2],
      ['Bottleneck ×3', 3],
      ['Bottleneck ×5', 5],
      ['Bottleneck ×2', 2],
    ],
  );
  for (const f of folds) assert.notEqual(f.fusion, null, `${f.label} is marked as holding fusion points`);
  // nothing of a folded block is drawn on its own; the first block of each stage is
  assert.ok(!v.items.some((it) => it.kind === 'node' && /^layer\d\.[1-9]/.test(it.scope)));
  assert.ok(v.items.some((it) => it.kind === 'node' && it.scope.startsWith('layer3.0')));
  const r = layeredLayout(toLayoutGraph(v));
  assert.equal(r.crossings, 0);

  // click on "Bottleneck ×5": layer3.1 … layer3.5 open, framed together under the run's title
  const fold = folds[2]!;
  const next = expandGroup(fold, v, expanded);
  assert.ok(next.has('layer3.1×5') && next.has('layer3.1') && next.has('layer3.5'));
  const open = visibleGraph(p, next);
  assert.ok(!open.items.some((it) => it.scope === 'layer3.1×5'));
  for (let k = 1; k <= 5; k++)
    assert.ok(
      open.items.some((it) => it.kind === 'node' && it.scope === `layer3.${k}`),
      `layer3.${k} is drawn`,
    );
  const frames = scopeFrames(open, layeredLayout(toLayoutGraph(open)), next);
  const runFrame = frames.find((f) => f.scope === 'layer3.1×5');
  assert.equal(runFrame?.label, 'Bottleneck ×5');
  const blockFrame = frames.find((f) => f.scope === 'layer3.2')!;
  assert.ok(blockFrame.depth > runFrame!.depth, 'block frames nest inside the run frame');
  // "expand all" opens runs too; saved sets may hold run keys
  assert.ok(allGroupKeys(p).includes('layer3.1×5'));
  assert.ok(!visibleGraph(p, new Set(allGroupKeys(p))).items.some((it) => it.kind === 'group'));
  // search finds the fold by its label and by the ops inside it; a node inside maps to the fold box (cursor-follow, minimap)
  const foldIndex = v.items.indexOf(fold);
  assert.ok(searchItems(p, v, 'Bottleneck ×5').includes(foldIndex));
  assert.ok(searchItems(p, v, 'layer3.4.conv2').includes(foldIndex));
  const inner = p.nodes.findIndex((nd) => nd.modulePath === 'layer3.4.conv2');
  assert.equal(v.itemOfNode[inner], foldIndex);
  assert.equal(
    open.itemOfNode[inner],
    open.items.findIndex((it) => it.kind === 'node' && it.node === inner),
  );
  // searching for a node inside a folded block reveals the run first
  assert.deepEqual(scopesToReveal('layer3.4', expanded, v.repeats), expanded.has('layer3') ? ['layer3.1×5', 'layer3.4'] : ['layer3', 'layer3.1×5', 'layer3.4']);
});

test('a timm-style ViT with 12 blocks opens as one "Block ×12" box with the shapes in and out', () => {
  const src = readFileSync(join(__dirname, '..', 'fixtures', 'models', 'vit_tiny.py'), 'utf8');
  const p = payloadOf(graphOf(runModelSrc(src, 'VisionTransformer(depth=12)', ['1x3x32x32'])));
  const { runs } = repeatedBlocks(p);
  assert.equal(runs.length, 1);
  const run = runs[0]!;
  assert.equal(run.label, 'Block ×12');
  assert.equal(run.scopes.length, 12);
  assert.equal(run.shapeIn, '[1, 17, 32]');
  assert.equal(run.shapeOut, '[1, 17, 32]');
  assert.equal(run.fusionCount % 12, 0);
  assert.ok(run.fusionCount >= 24, 'two residual adds per block');
  const v = visibleGraph(p, defaultExpanded(p, 400));
  const fold = v.items.find((it) => it.repeat === 12)!;
  assert.equal(fold.sublabel, '[1, 17, 32] → [1, 17, 32]');
  assert.notEqual(fold.fusion, null);
  assert.ok(v.items.length < 40, `the folded ViT is small (${v.items.length} boxes)`);
  const open = visibleGraph(p, expandGroup(fold, v, defaultExpanded(p, 400)));
  // the blocks open like a module scope: each block's own ops, its sub-modules (attention, MLP) as boxes
  assert.ok(open.items.length > 12 * 5);
  assert.equal(open.items.filter((it) => it.kind === 'group' && it.label.includes('attn')).length, 12);
});

function node(id: string, op: string, scope: string, shape = '[1, 8]'): PayloadNode {
  return {
    id,
    kind: 'op',
    op,
    label: op,
    modulePath: null,
    scope,
    outputs: [{ symbolic: shape, concrete: shape }],
    params: 0,
    flops: 0,
    file: null,
    line: null,
    fusion: null,
    detail: '',
  };
}

/** A chain of blocks with ONNX-style scopes (no module types): `enc.layers.k` = MatMul → Add(residual) . */
function onnxLike(blocks: number, odd = -1): GraphPayload {
  const nodes: PayloadNode[] = [node('in', 'input', '')];
  const edges: { source: string; target: string; value: string; shape: null }[] = [];
  let prev = 'in';
  for (let k = 0; k < blocks; k++) {
    const s = `enc.layers.${k}`;
    const mm = node(`mm${k}`, k === odd ? 'Conv' : 'MatMul', s);
    const add = node(`add${k}`, 'Add', s);
    nodes.push(mm, add);
    edges.push(
      { source: prev, target: mm.id, value: prev, shape: null },
      { source: mm.id, target: add.id, value: mm.id, shape: null },
      { source: prev, target: add.id, value: prev, shape: null },
    );
    prev = add.id;
  }
  nodes.push(node('out', 'output', ''));
  edges.push({ source: prev, target: 'out', value: prev, shape: null });
  const scopes = [
    { path: 'enc', type: '', parent: '', nodeCount: 2 * blocks },
    { path: 'enc.layers', type: '', parent: 'enc', nodeCount: 2 * blocks },
  ];
  for (let k = 0; k < blocks; k++) scopes.push({ path: `enc.layers.${k}`, type: '', parent: 'enc.layers', nodeCount: 2 });
  return { key: 'k', title: 't', file: 'f', paramsTotal: 0, flopsTotal: 0, stale: false, nodes, edges, scopes, fusions: [] };
}

test('ONNX-style scopes without module types fold by structure; a block built differently breaks the run', () => {
  const p = onnxLike(6);
  assert.deepEqual(
    repeatedBlocks(p).runs.map((r) => [r.key, r.label]),
    [['enc.layers.0×6', 'enc.layers.0…5 ×6']],
  );
  // block 3 differs: runs 0–2 and 4–5 remain
  assert.deepEqual(
    repeatedBlocks(onnxLike(6, 3)).runs.map((r) => r.key),
    ['enc.layers.0×3', 'enc.layers.4×2'],
  );
  // the fold box takes the edges of its blocks: input → fold → output
  const v = visibleGraph(p, new Set(['enc', 'enc.layers']));
  assert.equal(v.items.length, 3);
  assert.deepEqual(
    v.edges.map((e) => [e.source, e.target]),
    [
      [0, 1],
      [1, 2],
    ],
  );
});

test('a decoded .onnx ViT (module paths in node names, no module types) folds its encoder blocks', () => {
  const d = decodeOnnx(readFileSync(join(__dirname, '..', 'fixtures', 'onnx', 'vit_tiny.onnx')), 'vit_tiny.onnx');
  const p = graphPayload(d.graph);
  // the exporter aliases shared LayerNorm parameters through Identity nodes, more for the second block: still the same block
  assert.deepEqual(
    repeatedBlocks(p).runs.map((r) => [r.label, r.shapeIn, r.shapeOut]),
    [['blocks.0…1 ×2', '[2, 17, 32]', '[2, 17, 32]']],
  );
  const v = visibleGraph(p, defaultExpanded(p, 400));
  assert.equal(v.items.filter((it) => it.repeat === 2).length, 1);
});

test('blocks whose outputs also go elsewhere (a U-Net encoder feeding skips) are not folded', () => {
  const p = onnxLike(4);
  // a skip from block 1 to the output: block 1 no longer only feeds block 2
  (p.edges as { source: string; target: string; value: string; shape: null }[]).push({ source: 'add1', target: 'out', value: 'add1', shape: null });
  const keys = repeatedBlocks({ ...p }).runs.map((r) => r.key);
  assert.ok(!keys.some((k) => k === 'enc.layers.0×4'), keys.join(','));
});
