// Collects what one forward pass produces: graph values and nodes, module call records, line records, diagnostics.
import type { AttrValue, Diagnostic, GraphNode, GraphValue, LineRecord, ModuleCall, SourceRange, ValueSource } from '../graph/modelGraph';
import type { Range } from '../python/ast';
import type { DType, Shape } from '../shape/shape';
import { formatDim } from '../shape/dim';
import type { PyValue } from '../ops/values';
import type { Tensor } from './objects';
import { tensorLeaves } from './tensorLeaves';

export interface OpenModuleCall {
  path: string;
  type: string;
  depth: number;
  in: (Shape | null)[];
  out: (Shape | null)[];
  outDtypes: (DType | null)[];
  params: number;
  range: SourceRange | null;
  nodes: string[];
}

export class Recorder {
  /** True while the traced forward pass runs: only then are nodes, calls and lines recorded. */
  active = false;
  readonly values = new Map<string, GraphValue>();
  readonly nodes: GraphNode[] = [];
  readonly calls: OpenModuleCall[] = [];
  readonly stack: OpenModuleCall[] = [];
  readonly lines: LineRecord[] = [];
  private readonly seenLines = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly seenDiags = new Set<string>();
  private nextValue = 0;
  private nextObj = 0;
  private nextNode = 0;

  /** > 0 while an imported module's top level runs: its tensors may outlive this analysis (moduleWorld.ts). */
  libraryLevel = 0;

  /**
   * `library`: the counter of tensors made at imported modules' top level, shared by the recorders of one
   * interpreter, so such tensors stay distinct from later analyses' (which count from 0 again, as in a fresh run).
   */
  constructor(
    readonly file: string,
    readonly library: { next: number } = { next: 0 },
  ) {}

  range(r: Range | null, file = this.file): SourceRange | null {
    return r ? { file, startLine: r.startLine, startCol: r.startCol, endLine: r.endLine, endCol: r.endCol } : null;
  }

  /** A new tensor object. Values are registered in the graph only while recording (or when `force`). */
  tensor(shape: Shape | null, dtype: DType, source: ValueSource = 'node', producer: string | null = null, name?: string, force = false): Tensor {
    const lib = this.libraryLevel > 0 ? ++this.library.next : 0;
    const t: Tensor = lib
      ? { kind: 'tensor', id: `L${lib}`, shape, dtype, obj: -lib, version: 0 }
      : { kind: 'tensor', id: `v${this.nextValue++}`, shape, dtype, obj: this.nextObj++, version: 0 };
    if (this.active || force) this.values.set(t.id, { id: t.id, shape, dtype, source, producer, ...(name ? { name } : {}) });
    return t;
  }

  /** The same Python object after an in-place op: new graph value, same identity, bumped version. */
  inPlace(of: Tensor, shape: Shape | null, dtype: DType): Tensor {
    const t: Tensor = { kind: 'tensor', id: `v${this.nextValue++}`, shape, dtype, obj: of.obj, version: of.version + 1 };
    if (this.active) this.values.set(t.id, { id: t.id, shape, dtype, source: 'node', producer: null });
    return t;
  }

  setProducer(ids: readonly string[], producer: string): void {
    for (const id of ids) {
      const v = this.values.get(id);
      if (v && v.source === 'node') this.values.set(id, { ...v, producer });
    }
  }

  newNodeId(): string {
    return `n${this.nextNode++}`;
  }

  addNode(node: GraphNode): void {
    this.nodes.push(node);
    for (const c of this.stack) c.nodes.push(node.id);
  }

  openCall(path: string, type: string, inputs: PyValue, params: number, range: SourceRange | null): OpenModuleCall {
    const call: OpenModuleCall = { path, type, depth: this.stack.length, in: shapesOf(inputs), out: [], outDtypes: [], params, range, nodes: [] };
    this.calls.push(call);
    this.stack.push(call);
    return call;
  }

  closeCall(call: OpenModuleCall, output: PyValue): void {
    call.out = shapesOf(output);
    call.outDtypes = tensorLeaves(output).map(([, t]) => (t ? t.dtype : null));
    const i = this.stack.lastIndexOf(call);
    if (i >= 0) this.stack.splice(i);
  }

  line(rec: LineRecord): void {
    let key = `${rec.kind}|${rec.owner}|${rec.qualname}|${rec.line}|${rec.var}|${rec.dtype}|`;
    for (const d of rec.shape) key += `${d.value},`;
    if (this.seenLines.has(key)) return;
    this.seenLines.add(key);
    this.lines.push(rec);
  }

  diag(d: Diagnostic): void {
    const r = d.range;
    const key = `${d.code}|${d.message}|${r ? `${r.file}:${r.startLine}:${r.startCol}` : ''}`;
    if (this.seenDiags.has(key)) return;
    this.seenDiags.add(key);
    this.diagnostics.push(d);
  }

  finishedCalls(): ModuleCall[] {
    return this.calls.map((c) => ({ ...c }));
  }
}

/** Shapes of the tensors (and Nones) inside a value, flattened as PyTorch's hooks see them. */
export function shapesOf(v: PyValue): (Shape | null)[] {
  return tensorLeaves(v).map(([, t]) => (t ? (t.shape ?? null) : null));
}

/** Serialisable form of call arguments for graph nodes. */
export function attrValue(v: PyValue, depth = 0): AttrValue {
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
      return v.value;
    case 'int':
      return v.dim.expr ? { symbolic: formatDim(v.dim), value: v.dim.value } : v.dim.value;
    case 'float':
      return v.value;
    case 'str':
      return v.value;
    case 'tensor':
      return { tensor: v.id };
    case 'tuple':
    case 'list':
      return depth > 4 ? null : v.items.map((x) => attrValue(x, depth + 1));
    case 'dict': {
      const out: Record<string, AttrValue> = {};
      if (depth > 4) return out;
      for (const [k, x] of v.entries) out[k] = attrValue(x, depth + 1);
      return out;
    }
    case 'object':
      return typeof v.ref === 'string' ? v.ref : v.typeName;
    // Slice bounds are kept (the ONNX lowering of indexing needs them); null stays None only.
    case 'slice':
      return { slice: [attrValue(v.start, depth + 1), attrValue(v.stop, depth + 1), attrValue(v.step, depth + 1)] };
    case 'ellipsis':
      return '...';
    default:
      return null;
  }
}
