// ModelGraph → ONNX ModelProto bytes (opset 17, static shapes), each node lowered by its op registry entry; tapped values exposed whole or summarised in the graph.
import type { GraphNode, GraphValue, ModelGraph } from '../graph/modelGraph';
import type { LoweringArg, OnnxAttr, OnnxLoweringContext } from '../ops/lowering';
import { functionOp, moduleOp } from '../ops/registry';
import type { OnnxLowering } from '../ops/lowering';
import { featureMapShape, lowerFeatureMap, lowerTensorStats, STATS_VECTOR, SUMMARY_GATE, type StatsDtype } from '../ops/lowerStats';
import type { DType } from '../shape/shape';
import { concreteShape } from '../shape/shape';
import { OnnxAttrType, modelProtoType } from './onnxSchema';
import { onnxElemType, TensorData } from './onnxTensor';

export const EXPORT_OPSET = 17;
const IR_VERSION = 8;

/** The export was refused; `ops` names every op that has no lowering (or failed to lower). */
export class OnnxExportError extends Error {
  constructor(
    message: string,
    readonly ops: readonly string[] = [],
  ) {
    super(message);
    this.name = 'OnnxExportError';
  }
}

export interface ExportOptions {
  /** State tensors by state_dict name (seeded init or loaded safetensors). */
  readonly weights: ReadonlyMap<string, TensorData>;
  /** Value ids to expose whole as extra graph outputs. */
  readonly extraOutputs?: readonly string[];
  /** Value ids whose statistics the graph computes (ops/lowerStats), exposed as `stats.<id>` instead of the tensor. */
  readonly statsOutputs?: readonly string[];
  /**
   * The float type of the statistics (default float64). float32 runs where float64 kernels are missing
   * (onnxruntime-web's WebGPU build); ops/lowerStats keeps its sums short, so the figures stay close (see README).
   */
  readonly statsDtype?: StatsDtype;
  /** Value ids whose feature map the graph computes (ops/lowerStats `featureMapShape`), exposed as `map.<id>`. */
  readonly mapOutputs?: readonly string[];
}

/** An in-graph summary output: its ONNX name and the shape of the tensor it summarises. */
export interface SummaryOutput {
  readonly name: string;
  readonly dims: readonly number[];
}

export interface ExportedModel {
  readonly bytes: Uint8Array;
  /** `input.0`, `input.1`, … in graph input order (the oracle io layout). */
  readonly inputNames: readonly string[];
  /** `output.0`, … in graph output order. */
  readonly outputNames: readonly string[];
  /** Value id → ONNX output name, for the requested extra outputs. */
  readonly extraOutputs: ReadonlyMap<string, string>;
  /** Value id → its statistics output (`statsDtype` [6], ops/lowerStats STATS_VECTOR), for the requested `statsOutputs`. */
  readonly statsOutputs: ReadonlyMap<string, SummaryOutput>;
  /** Value id → its feature-map output, for the requested `mapOutputs` that have one. */
  readonly mapOutputs: ReadonlyMap<string, SummaryOutput>;
  /** The bool scalar input (after the model's inputs) that turns the summaries on, or null without summaries. */
  readonly summaryGate: string | null;
  readonly nodeCount: number;
}

interface NodeMsgOut {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: Record<string, unknown>[];
}

interface TensorMsgOut {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

function rawBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function constData(values: readonly number[], dtype: DType): TensorData {
  switch (dtype) {
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
    case 'int32':
      return Int32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'bool':
    case 'uint8':
      return Uint8Array.from(values);
    case 'float32':
      return Float32Array.from(values);
    default:
      throw new OnnxExportError(`constants of dtype ${dtype} are not supported`);
  }
}

function attributeMsg(name: string, a: OnnxAttr): Record<string, unknown> {
  const enc = new TextEncoder();
  switch (a.type) {
    case 'int':
      return { name, type: OnnxAttrType.INT, i: a.value };
    case 'ints':
      return { name, type: OnnxAttrType.INTS, ints: [...a.value] };
    case 'float':
      return { name, type: OnnxAttrType.FLOAT, f: a.value };
    case 'floats':
      return { name, type: OnnxAttrType.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: OnnxAttrType.STRING, s: enc.encode(a.value) };
    case 'strings':
      return { name, type: OnnxAttrType.STRINGS, strings: a.value.map((s) => enc.encode(s)) };
    case 'graph':
      return { name, type: OnnxAttrType.GRAPH, g: { name: a.value.name, node: a.value.nodes, output: a.value.outputs } };
  }
}

function valueInfo(name: string, dtype: DType, shape: readonly number[]): Record<string, unknown> {
  return { name, type: { tensorType: { elemType: onnxElemType(dtype), shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

function loweringOf(op: string): OnnxLowering | undefined {
  if (op.startsWith('nn.')) return moduleOp(op.slice(3))?.onnx;
  return functionOp(op)?.onnx;
}

/** Ops in the graph that have no ONNX lowering (registry key and node count), without exporting. */
export function unsupportedOps(graph: ModelGraph): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of graph.nodes) if (n.outputs.length > 0 && !loweringOf(n.op)) out.set(n.op, (out.get(n.op) ?? 0) + 1);
  return out;
}

/** Exports `graph` with `weights`; throws OnnxExportError naming every op (or value) that cannot be expressed. */
export function exportOnnx(graph: ModelGraph, options: ExportOptions): ExportedModel {
  if (graph.outputs.length === 0) {
    const why = graph.diagnostics.find((d) => d.severity === 'error')?.message;
    throw new OnnxExportError(`cannot export to ONNX: the model has no known tensor outputs${why ? ` (${why})` : ''}`);
  }
  const missing = unsupportedOps(graph);
  if (missing.size > 0) {
    const list = [...missing].map(([op, n]) => (n > 1 ? `${op} (${n}×)` : op)).join(', ');
    throw new OnnxExportError(`cannot export to ONNX: no lowering for ${list}`, [...missing.keys()]);
  }
  const names = new Map<string, string>();
  const shapes = new Map<string, readonly number[]>();
  const dtypes = new Map<string, DType>();
  const nodes: NodeMsgOut[] = [];
  const initializers: TensorMsgOut[] = [];
  const initialized = new Set<string>();
  const stateByName = new Map(graph.stateDict.map((e) => [e.name, e]));

  const staticShape = (v: GraphValue): number[] => {
    const s = v.shape ? concreteShape(v.shape) : null;
    if (!s) throw new OnnxExportError(`cannot export to ONNX: value ${v.name ?? v.id} has no static shape`);
    return s;
  };
  const addInitializer = (name: string, dtype: DType, dims: readonly number[], data: TensorData): string => {
    if (!initialized.has(name)) {
      initialized.add(name);
      initializers.push({ name, dims: [...dims], dataType: onnxElemType(dtype), rawData: rawBytes(data) });
      shapes.set(name, dims);
      dtypes.set(name, dtype);
    }
    return name;
  };
  /** State tensor by state_dict name (following shared-parameter aliases), added once as an initializer. */
  const stateInitializer = (stateName: string): string => {
    const entry = stateByName.get(stateName);
    const name = entry?.aliasOf ?? stateName;
    if (initialized.has(name)) return name;
    const data = options.weights.get(name);
    if (!data) throw new OnnxExportError(`cannot export to ONNX: no weights for '${name}'`);
    const dims = entry ? entry.shape : [data.length];
    const dtype = entry ? entry.dtype : data instanceof BigInt64Array ? 'int64' : 'float32';
    const n = dims.reduce((a, b) => a * b, 1);
    if (data.length !== n) throw new OnnxExportError(`weights for '${name}' have ${data.length} elements, the model expects [${dims.join(', ')}]`);
    return addInitializer(name, dtype, dims, data);
  };

  // Graph inputs take the oracle io names so that io files feed them directly.
  const inputs = graph.inputs.map((inp, i) => {
    const name = `input.${i}`;
    const v = graph.values.get(inp.value);
    const shape = concreteShape(inp.shape);
    if (!shape) throw new OnnxExportError(`cannot export to ONNX: input '${inp.name}' has no static shape`);
    names.set(inp.value, name);
    shapes.set(name, shape);
    dtypes.set(name, v?.dtype ?? inp.dtype);
    return valueInfo(name, inp.dtype, shape);
  });

  /** ONNX name of a graph value, materialising parameters and constants on first use. */
  const nameOf = (id: string): string => {
    const known = names.get(id);
    if (known) return known;
    const v = graph.values.get(id);
    if (!v) throw new OnnxExportError(`cannot export to ONNX: unknown value ${id}`);
    let name: string;
    if (v.source === 'param' || v.source === 'buffer') name = stateInitializer(v.name ?? id);
    else if (v.source === 'const') {
      if (v.constValue === undefined) throw new OnnxExportError(`cannot export to ONNX: constant ${id} has no value`);
      const vals = typeof v.constValue === 'number' ? [v.constValue] : [...v.constValue];
      name = addInitializer(`const.${id}`, v.dtype, staticShape(v), constData(vals, v.dtype));
    } else {
      // Value ids (`v12`) could equal a state_dict name (`self.v12 = nn.Parameter(…)`): keep them apart.
      name = stateByName.has(id) ? `${id}:value` : id;
      shapes.set(name, staticShape(v));
      dtypes.set(name, v.dtype);
    }
    names.set(id, name);
    return name;
  };

  // A node-produced output that appears once among the outputs is written under its output name
  // directly; inputs, parameters, constants and repeated outputs get an Identity below.
  graph.outputs.forEach((id, i) => {
    const v = graph.values.get(id);
    if (v?.source === 'node' && graph.outputs.indexOf(id) === graph.outputs.lastIndexOf(id) && !names.has(id)) {
      names.set(id, `output.${i}`);
      shapes.set(`output.${i}`, staticShape(v));
      dtypes.set(`output.${i}`, v.dtype);
    }
  });

  let constCount = 0;
  // Nodes without tensor outputs (`x.size(0)`, `x.dim()`) compute Python values only: nothing to emit.
  for (const node of graph.nodes) if (node.outputs.length > 0) lowerNode(node);

  function lowerNode(node: GraphNode): void {
    const lowering = loweringOf(node.op)!;
    const inputNames = node.inputs.map(nameOf);
    const outputNames = node.outputs.map(nameOf);
    const prefix = node.modulePath ? `${node.modulePath}/${node.id}` : node.id;
    const fail = (message: string): never => {
      throw new OnnxExportError(`cannot export ${node.op}${node.modulePath ? ` (${node.modulePath})` : ''} to ONNX: ${message}`, [node.op]);
    };
    const produced = new Set<string>();
    lowering(
      contextFor(
        { op: node.op, modulePath: node.modulePath, attrs: node.attrs, args: node.args, inputs: inputNames, outputs: outputNames, prefix, fail },
        nodes,
        produced,
      ),
    );
    for (const o of outputNames) {
      if (!produced.has(o) && !initialized.has(o) && !inputNames.includes(o)) fail(`the lowering did not produce output '${o}'`);
    }
  }

  interface LoweringSite {
    readonly op: string;
    readonly modulePath: string | null;
    readonly attrs: GraphNode['attrs'];
    readonly args: GraphNode['args'];
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    /** Prefix of the names of emitted nodes and fresh values. */
    readonly prefix: string;
    readonly fail: (message: string) => never;
  }

  /** The builder a lowering writes against: nodes go to `sink`, the names they write to `produced`. */
  function contextFor(site: LoweringSite, sink: NodeMsgOut[], produced: Set<string>): OnnxLoweringContext {
    const { prefix, fail } = site;
    let fresh = 0;
    const tensorIdOf = (a: LoweringArg | undefined): string | null =>
      a !== null && a !== undefined && typeof a === 'object' && !Array.isArray(a) && 'tensor' in a && typeof a.tensor === 'string' ? a.tensor : null;
    const ctx: OnnxLoweringContext = {
      op: site.op,
      modulePath: site.modulePath,
      attrs: site.attrs,
      args: site.args,
      inputs: site.inputs,
      outputs: site.outputs,
      shape(name) {
        const s = shapes.get(name);
        if (!s) return fail(`the shape of '${name}' is not known`);
        return s;
      },
      dtype(name) {
        return dtypes.get(name) ?? fail(`the dtype of '${name}' is not known`);
      },
      tensorArg(arg) {
        const id = tensorIdOf(site.args[arg]);
        return id === null ? null : nameOf(id);
      },
      value(id) {
        return nameOf(id);
      },
      tensorList(arg) {
        const v = site.args[arg];
        if (!Array.isArray(v)) return null;
        const ids = (v as readonly LoweringArg[]).map(tensorIdOf);
        return ids.every((x): x is string => x !== null) ? ids.map(nameOf) : null;
      },
      param(local) {
        const stateName = site.modulePath ? `${site.modulePath}.${local}` : local;
        return stateByName.has(stateName) ? stateInitializer(stateName) : null;
      },
      node(opType, ins, attrs = {}, outs = 1) {
        const outNames = typeof outs === 'number' ? Array.from({ length: outs }, () => `${prefix}/${opType}_${fresh++}`) : [...outs];
        sink.push({
          input: [...ins],
          output: outNames,
          name: `${prefix}/${opType}_${sink.length}`,
          opType,
          attribute: Object.entries(attrs).map(([k, a]) => attributeMsg(k, a)),
        });
        for (const o of outNames) produced.add(o);
        return outNames;
      },
      constInt64(values, dims) {
        return addInitializer(`${prefix}/const_${constCount++}`, 'int64', dims ?? [values.length], constData(values, 'int64'));
      },
      constFloat(values, dims, dtype = 'float32') {
        return addInitializer(`${prefix}/const_${constCount++}`, dtype, dims ?? [values.length], constData(values, dtype));
      },
      operand(arg, dtype) {
        const t = ctx.tensorArg(arg);
        if (t) return t;
        const v = site.args[arg];
        if (typeof v === 'number' || typeof v === 'boolean') return ctx.constFloat([Number(v)], [], dtype);
        if (v && typeof v === 'object' && 'symbolic' in v && typeof v.value === 'number') return ctx.constFloat([v.value], [], dtype);
        return fail(`argument '${arg}' is neither a tensor nor a number`);
      },
      fail,
      subgraph(name, outs, build) {
        const subNodes: NodeMsgOut[] = [];
        // a subgraph sees the outer names, so its fresh names carry their own prefix
        const subPrefix = `${prefix}/${name}`;
        const names = build(contextFor({ ...site, inputs: [], outputs: [], prefix: subPrefix }, subNodes, new Set()));
        if (names.length !== outs.length) fail(`subgraph ${name} made ${names.length} outputs for ${outs.length} declared`);
        return { name: subPrefix, nodes: subNodes, outputs: names.map((n, i) => valueInfo(n, outs[i]!.dtype, outs[i]!.dims)) };
      },
    };
    return ctx;
  }

  // Graph outputs under stable names (`output.0`, `value.<id>`): an Identity where the value carries another name.
  const outputs: Record<string, unknown>[] = [];
  const outputNames: string[] = [];
  const addOutput = (id: string, name: string): void => {
    const src = nameOf(id);
    if (src !== name) nodes.push({ input: [src], output: [name], name: `output/${name}`, opType: 'Identity', attribute: [] });
    outputs.push(valueInfo(name, dtypes.get(src)!, shapes.get(src)!));
  };
  graph.outputs.forEach((id, i) => {
    addOutput(id, `output.${i}`);
    outputNames.push(`output.${i}`);
  });
  const extra = new Map<string, string>();
  for (const id of options.extraOutputs ?? []) {
    if (extra.has(id) || !graph.values.has(id)) continue;
    const name = `value.${id}`;
    addOutput(id, name);
    extra.set(id, name);
  }
  // Summaries run only when the bool input SUMMARY_GATE is true, so one session also times the model alone
  // (onnxruntime runs every node whatever outputs are fetched); when false they are NaN / zeros.
  let gated = false;
  /** Emits `lower(ctx, value, out)` behind the gate for a value after the model's own nodes, and exposes `name`. */
  const summarise = (
    id: string,
    name: string,
    dtype: DType,
    dims: readonly number[],
    lower: (ctx: OnnxLoweringContext, x: string, out: string) => void,
    off: (ctx: OnnxLoweringContext) => string,
  ): SummaryOutput => {
    const src = nameOf(id);
    const fail = (message: string): never => {
      throw new OnnxExportError(`cannot summarise value ${id} in the ONNX graph: ${message}`);
    };
    const ctx = contextFor({ op: 'summary', modulePath: null, attrs: {}, args: {}, inputs: [src], outputs: [name], prefix: name, fail }, nodes, new Set());
    const types = [{ dtype, dims }];
    const on = ctx.subgraph('on', types, (sub) => {
      const out = `${name}/on/value`;
      lower(sub, src, out);
      return [out];
    });
    const offBranch = ctx.subgraph('off', types, (sub) => [off(sub)]);
    ctx.node('If', [SUMMARY_GATE], { then_branch: { type: 'graph', value: on }, else_branch: { type: 'graph', value: offBranch } }, [name]);
    gated = true;
    shapes.set(name, dims);
    dtypes.set(name, dtype);
    outputs.push(valueInfo(name, dtype, dims));
    return { name, dims: shapes.get(src)! };
  };
  const stats = new Map<string, SummaryOutput>();
  const sd = options.statsDtype ?? 'float32';
  for (const id of options.statsOutputs ?? []) {
    if (stats.has(id) || !graph.values.has(id)) continue;
    const lower = (c: OnnxLoweringContext, x: string, out: string): void => lowerTensorStats(c, x, out, sd);
    const off = (c: OnnxLoweringContext): string =>
      c.node('Identity', [
        c.constFloat(
          STATS_VECTOR.map(() => NaN),
          [STATS_VECTOR.length],
          sd,
        ),
      ])[0]!;
    stats.set(id, summarise(id, `stats.${id}`, sd, [STATS_VECTOR.length], lower, off));
  }
  const maps = new Map<string, SummaryOutput>();
  for (const id of options.mapOutputs ?? []) {
    if (maps.has(id) || !graph.values.has(id)) continue;
    const dims = featureMapShape(shapes.get(nameOf(id))!);
    if (dims)
      maps.set(
        id,
        summarise(id, `map.${id}`, 'float32', dims, lowerFeatureMap, (c) => c.node('Expand', [c.constFloat([0], []), c.constInt64(dims)])[0]!),
      );
  }

  const model = {
    irVersion: IR_VERSION,
    producerName: 'fusion-lens',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    graph: {
      name: graph.className || 'model',
      node: nodes,
      initializer: initializers,
      input: gated ? [...inputs, valueInfo(SUMMARY_GATE, 'bool', [])] : inputs,
      output: outputs,
    },
  };
  const bytes = modelProtoType().encode(model).finish();
  return {
    bytes,
    inputNames: inputs.map((_, i) => `input.${i}`),
    outputNames,
    extraOutputs: extra,
    statsOutputs: stats,
    mapOutputs: maps,
    summaryGate: gated ? SUMMARY_GATE : null,
    nodeCount: nodes.length,
  };
}
