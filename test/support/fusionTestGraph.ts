// Test helper: builds small ModelGraphs by hand (values, nodes, line records) for the fusion analysis tests.
import { dim } from '../../src/core/shape/dim';
import type { AttrValue, GraphNode, GraphValue, LineRecord, ModelGraph } from '../../src/core/graph/modelGraph';
import { roleOfKey } from '../../src/core/ops/index';

export interface OpOptions {
  readonly attrs?: Record<string, AttrValue>;
  readonly args?: Record<string, AttrValue>;
  /** Variable the result is bound to (creates a line record). */
  readonly var?: string;
  /** 0-based source line. */
  readonly line?: number;
  readonly params?: number;
  readonly flops?: number;
  readonly scope?: string;
  readonly modulePath?: string;
  /** Extra outputs (e.g. attention weights). */
  readonly extraOutputs?: readonly (readonly number[])[];
}

export class TestGraph {
  private readonly values = new Map<string, GraphValue>();
  private readonly nodes: GraphNode[] = [];
  private readonly lines: LineRecord[] = [];
  private readonly inputs: { name: string; value: string; shape: readonly number[] }[] = [];
  private outputs: string[] = [];
  private n = 0;

  input(name: string, shape: readonly number[], dtype: 'float32' | 'int64' = 'float32'): string {
    const id = `v${this.n++}`;
    this.values.set(id, { id, shape: shape.map(dim), dtype, source: 'input', producer: null, name });
    this.inputs.push({ name, value: id, shape });
    this.lines.push(this.record('arg', name, shape, id, 0));
    return id;
  }

  param(name: string, shape: readonly number[]): string {
    const id = `v${this.n++}`;
    this.values.set(id, { id, shape: shape.map(dim), dtype: 'float32', source: 'param', producer: null, name });
    return id;
  }

  /** One op node with tensor inputs `ins`; returns its (first) output value id. */
  op(op: string, ins: readonly string[], shape: readonly number[], o: OpOptions = {}): string {
    const nodeId = `n${this.nodes.length}`;
    const outs: string[] = [];
    for (const s of [shape, ...(o.extraOutputs ?? [])]) {
      const id = `v${this.n++}`;
      this.values.set(id, { id, shape: s.map(dim), dtype: 'float32', source: 'node', producer: nodeId });
      outs.push(id);
    }
    const line = o.line ?? this.nodes.length;
    this.nodes.push({
      id: nodeId,
      op,
      role: roleOfKey(op),
      modulePath: o.modulePath ?? null,
      scope: o.scope ?? '',
      attrs: o.attrs ?? {},
      args: o.args ?? Object.fromEntries(ins.map((v, i) => [i === 0 ? 'input' : `arg${i}`, { tensor: v }])),
      inputs: ins,
      outputs: outs,
      params: o.params ?? 0,
      flops: o.flops ?? 0,
      range: { file: 'model.py', startLine: line, startCol: 0, endLine: line, endCol: 10 },
      callPath: [],
    });
    if (o.var) this.lines.push(this.record('assign', o.var, shape, outs[0] as string, line, o.scope ?? ''));
    return outs[0] as string;
  }

  /** Output values of a node by its first output. */
  outputsOf(first: string): string[] {
    const producer = this.values.get(first)?.producer;
    return this.nodes.find((n) => n.id === producer)?.outputs.slice() ?? [];
  }

  output(...values: string[]): void {
    this.outputs = values;
  }

  private record(kind: LineRecord['kind'], v: string, shape: readonly number[], value: string, line: number, owner = ''): LineRecord {
    return { kind, owner, func: 'forward', qualname: 'M.forward', line, var: v, shape: shape.map(dim), dtype: 'float32', file: 'model.py', value, range: null };
  }

  build(className = 'M'): ModelGraph {
    const params = this.nodes.reduce((s, n) => s + n.params, 0);
    const flops = this.nodes.reduce((s, n) => s + n.flops, 0);
    return {
      expr: `${className}()`,
      className,
      file: 'model.py',
      inputs: this.inputs.map((i) => ({ name: i.name, shape: i.shape.map(dim), dtype: this.values.get(i.value)?.dtype ?? 'float32', value: i.value })),
      inputKind: 'args',
      outputs: this.outputs,
      outputKind: 'tensor',
      values: this.values,
      nodes: this.nodes,
      modules: [],
      lines: this.lines,
      diagnostics: [],
      stateDict: [],
      paramsTotal: params,
      flopsTotal: flops,
      classRange: null,
    };
  }
}

/** Conv module options: kernel, stride, own params (FLOPs ten times the params). */
export const conv = (k: number, s = 1, params = 100) => ({ attrs: { kernel_size: k, stride: s }, params, flops: params * 10 });

/** FusionModel of the seed file: three levels, max-pool ×4 and interpolate ×0.5, concatenated. */
export function seedFusionModel(): TestGraph {
  const g = new TestGraph();
  const x = g.input('x', [4, 3, 256, 256]);
  const c1 = g.op('nn.Conv2d', [x], [4, 64, 256, 256], conv(3, 1, 1792));
  const feat1 = g.op('torch.relu', [c1], [4, 64, 256, 256], { var: 'feat1', line: 40 });
  const p2 = g.op('nn.MaxPool2d', [feat1], [4, 64, 128, 128], { attrs: { kernel_size: 2 } });
  const c2 = g.op('nn.Conv2d', [p2], [4, 128, 128, 128], conv(3, 1, 73856));
  const feat2 = g.op('torch.relu', [c2], [4, 128, 128, 128], { var: 'feat2', line: 41 });
  const p3 = g.op('nn.MaxPool2d', [feat2], [4, 128, 64, 64], { attrs: { kernel_size: 2 } });
  const c3 = g.op('nn.Conv2d', [p3], [4, 256, 64, 64], conv(3, 1, 295168));
  const feat3 = g.op('torch.relu', [c3], [4, 256, 64, 64], { var: 'feat3', line: 42 });
  const d1 = g.op('F.max_pool2d', [feat1], [4, 64, 64, 64], { args: { input: { tensor: feat1 }, kernel_size: 4 }, var: 'feat1_down', line: 45 });
  const d2 = g.op('F.interpolate', [feat2], [4, 128, 64, 64], { args: { input: { tensor: feat2 }, scale_factor: 0.5 }, var: 'feat2_down', line: 46 });
  const fused = g.op('torch.cat', [d1, d2, feat3], [4, 448, 64, 64], {
    args: { tensors: [{ tensor: d1 }, { tensor: d2 }, { tensor: feat3 }], dim: 1 },
    var: 'fused',
    line: 48,
  });
  const y = g.op('nn.Conv2d', [fused], [4, 256, 64, 64], conv(1, 1, 114944));
  g.output(y);
  return g;
}
