// `.onnx` bytes → ModelGraph: nodes as `onnx.<OpType>`, initializers as state, shapes from the file or inferred; never fatal on unknown ops.
import { dim, Dim, symDim } from '../shape/dim';
import type { DType, Shape } from '../shape/shape';
import type { AttrValue, Diagnostic, GraphNode, GraphValue, InputDecl, ModelGraph, StateEntry } from '../graph/modelGraph';
import { onnxRole } from '../ops/roles';
import { OnnxAttrValue, readAttributes } from './onnxAttributes';
import { GraphMsg, int64, ModelMsg, OnnxFormatError, ValueInfoMsg } from './onnxProto';
import { decodeTensor, DecodedTensor, dtypeOfOnnx } from './onnxTensor';
import { hasShapeRule, inferOnnxNode, InferValue, keepsConstValue } from './onnxShapeInference';
import { OnnxReadLimits, readModelProto } from './readModelProto';

export interface OnnxDecodeOptions extends OnnxReadLimits {
  /** Largest tensor (elements) accepted in an initializer or attribute (default 2^31). */
  readonly maxTensorElements?: number;
  /** Ignore value_info of intermediate values and infer every shape (default false; tests use it to check inference). */
  readonly inferAll?: boolean;
}

export interface DecodedOnnx {
  readonly graph: ModelGraph;
  /** Opset of the default ONNX domain. */
  readonly opset: number;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly irVersion: number;
  readonly producer: string;
  /** Initializer contents by name (data null for external data). */
  readonly initializers: ReadonlyMap<string, DecodedTensor>;
  /** ONNX attributes of each node by node id, in their decoded form. */
  readonly nodeAttributes: ReadonlyMap<string, ReadonlyMap<string, OnnxAttrValue>>;
}

/** Decodes and validates an ONNX model. Malformed bytes throw OnnxFormatError; graph-level problems become diagnostics. */
export function decodeOnnx(bytes: Uint8Array, file = 'model.onnx', options: OnnxDecodeOptions = {}): DecodedOnnx {
  const model = readModelProto(bytes, options);
  try {
    return buildGraph(model, file, options.maxTensorElements ?? 2 ** 31, options.inferAll ?? false);
  } catch (e) {
    if (e instanceof OnnxFormatError) throw e;
    // A wire-valid but semantically corrupt file (e.g. bit flips) must still end in a clear error.
    throw new OnnxFormatError(`corrupt ONNX model: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function declaredShape(v: ValueInfoMsg): { shape: (Dim | null)[] | null; dtype: DType | null } {
  const t = v.type?.tensorType;
  if (!t) return { shape: null, dtype: null };
  const dtype = dtypeOfOnnx(t.elemType);
  if (!t.shape) return { shape: null, dtype };
  const shape = t.shape.dim.map((d, i): Dim | null => {
    if (d.dimParam) return symDim(d.dimParam, null);
    if (d.dimValue !== null && d.dimValue !== undefined && d.value !== 'dimParam') {
      const n = int64(d.dimValue, `value '${v.name}' dim ${i}`);
      return n >= 0 ? dim(n) : null;
    }
    return null;
  });
  return { shape, dtype };
}

/** torch.onnx node names look like `/layer1/layer1.0/conv1/Conv`; the scope is the torch module path `layer1.0.conv1`. */
export function scopeOfNodeName(name: string): string {
  const parts = name.split('/').filter((p) => p.length > 0);
  if (parts.length < 2) return '';
  let path = '';
  for (const p of parts.slice(0, -1)) {
    if (path && p.startsWith(`${path}.`)) path = p;
    else path = path ? `${path}.${p}` : p;
  }
  return path;
}

function attrToGraph(v: OnnxAttrValue): AttrValue {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? { tensor: x.name, dtype: x.dtype, dims: x.dims } : x));
  if ('graph' in v) return { graph: v.graph };
  const small = v.data && v.numel <= 16 ? Array.from(v.data as ArrayLike<number | bigint>, Number) : null;
  return { dtype: v.dtype, dims: v.dims, ...(small ? { values: small } : {}) };
}

function nodeFlops(op: string, ins: readonly (InferValue | null)[], outs: readonly (InferValue | null)[], attrs: ReadonlyMap<string, OnnxAttrValue>): number {
  const numel = (s: readonly (number | null)[] | null | undefined): number =>
    s && s.every((d) => d !== null) ? (s as number[]).reduce((a, b) => a * b, 1) : 0;
  const w = ins[1]?.shape;
  if (op === 'Conv' && w) return 2 * numel(outs[0]?.shape) * numel(w.slice(1));
  if (op === 'ConvTranspose' && w) return 2 * numel(ins[0]?.shape) * numel(w.slice(1));
  if ((op === 'Gemm' || op === 'MatMul') && ins[0]?.shape) {
    const a = ins[0].shape;
    const transA = op === 'Gemm' && attrs.get('transA') === 1;
    const k = transA ? a[0] : a[a.length - 1];
    return typeof k === 'number' ? 2 * numel(outs[0]?.shape) * k : 0;
  }
  return 0;
}

function toShape(v: InferValue | null, declared: (Dim | null)[] | null): Shape | null {
  if (declared && declared.every((d) => d !== null)) {
    // Fill a symbolic declared dim's concrete size from inference when both know it.
    return declared.map((d, i) => {
      const inferred = v?.shape?.[i];
      return d!.value === null && d!.expr && typeof inferred === 'number' ? symDim(d!.expr.kind === 'sym' ? d!.expr.name : '?', inferred) : d!;
    });
  }
  if (!v?.shape)
    return declared ? declared.map((d, i) => d ?? (typeof v?.shape?.[i] === 'number' ? dim(v.shape[i] as number) : { value: null, expr: null })) : null;
  return v.shape.map((d, i) => declared?.[i] ?? (d === null ? { value: null, expr: null } : dim(d)));
}

function buildGraph(model: ModelMsg, file: string, maxElements: number, inferAll: boolean): DecodedOnnx {
  const g = model.graph as GraphMsg;
  const diagnostics: Diagnostic[] = [];
  const diag = (severity: Diagnostic['severity'], code: string, message: string): void => {
    diagnostics.push({ severity, code, message, range: null });
  };
  const opsets = model.opsetImport.map((o) => ({ domain: o.domain, version: int64(o.version, 'opset version') }));
  const opset = opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset === 0) diag('warning', 'onnx-opset', 'the model declares no opset for the default ONNX domain');

  const values = new Map<string, GraphValue>();
  const known = new Map<string, InferValue>();
  const declared = new Map<string, { shape: (Dim | null)[] | null; dtype: DType | null }>();
  for (const vi of inferAll ? g.input : [...g.input, ...g.valueInfo, ...g.output]) if (vi.name) declared.set(vi.name, declaredShape(vi));

  // Initializers: weights and constants, the model's state.
  const initializers = new Map<string, DecodedTensor>();
  const stateDict: StateEntry[] = [];
  let paramsTotal = 0;
  for (const t of g.initializer) {
    if (initializers.has(t.name)) throw new OnnxFormatError(`initializer '${t.name}' is defined twice`);
    const d = decodeTensor(t, maxElements);
    initializers.set(t.name, d);
    if (d.external) {
      diag(
        'warning',
        'onnx-external-data',
        `initializer '${t.name}' (${d.dims.join('x')} ${d.dtype}) stores its data in an external file '${d.external.location}' (offset ${d.external.offset}); it is not loaded`,
      );
    }
    const value = d.data && keepsConstValue(d.dtype, d.numel) ? Array.from(d.data as ArrayLike<number | bigint>, Number) : undefined;
    known.set(t.name, { shape: d.dims, dtype: d.dtype, ...(value ? { value } : {}) });
    values.set(t.name, { id: t.name, shape: d.dims.map(dim), dtype: d.dtype, source: 'param', producer: null, name: t.name });
    if (d.dtype.startsWith('float') || d.dtype === 'bfloat16') paramsTotal += d.numel;
    stateDict.push({ name: t.name, shape: d.dims, dtype: d.dtype, role: 'param', modulePath: '', moduleType: 'onnx', init: { kind: 'zeros' } });
  }

  const inputs: InputDecl[] = [];
  for (const vi of g.input) {
    if (initializers.has(vi.name)) continue; // IR < 4 lists initializers as inputs too
    const dcl = declared.get(vi.name)!;
    const shape = dcl.shape && dcl.shape.every((d) => d !== null) ? (dcl.shape as Dim[]) : null;
    if (!shape) diag('warning', 'onnx-input-shape', `graph input '${vi.name}' has no complete static shape`);
    const dtype = dcl.dtype ?? 'float32';
    known.set(vi.name, { shape: shape ? shape.map((d) => d.value) : null, dtype });
    values.set(vi.name, { id: vi.name, shape: shape ?? null, dtype, source: 'input', producer: null, name: vi.name });
    inputs.push({ name: vi.name, shape: shape ?? [], dtype, value: vi.name });
  }

  const nodes: GraphNode[] = [];
  const nodeAttributes = new Map<string, ReadonlyMap<string, OnnxAttrValue>>();
  const unknownOps = new Map<string, number>();
  let flopsTotal = 0;
  for (const [i, n] of g.node.entries()) {
    const id = `n${i}`;
    const domain = n.domain === 'ai.onnx' ? '' : n.domain;
    const op = domain ? `onnx.${domain}.${n.opType}` : `onnx.${n.opType}`;
    const attrs = readAttributes(n.attribute, maxElements);
    nodeAttributes.set(id, attrs);
    const ins = n.input.map((name) => {
      if (!name) return null;
      const v = known.get(name);
      if (!v) diag('error', 'onnx-undefined-value', `node '${n.name || id}' (${n.opType}) reads '${name}', which no earlier node or input defines`);
      return v ?? null;
    });
    const outNames = n.output;
    const inferred = domain ? outNames.map(() => null) : inferOnnxNode(n.opType, ins, attrs, outNames.length, opset);
    if (domain || !hasShapeRule(n.opType)) unknownOps.set(op, (unknownOps.get(op) ?? 0) + 1);
    for (const [k, name] of outNames.entries()) {
      if (!name) continue;
      const dcl = declared.get(name);
      const inf = inferred[k] ?? null;
      const shape = toShape(inf, dcl?.shape ?? null);
      const dtype = dcl?.dtype ?? inf?.dtype ?? 'float32';
      const concrete = shape ? shape.map((d) => d.value) : null;
      known.set(name, { shape: concrete, dtype, ...(inf?.value ? { value: inf.value } : {}) });
      if (values.has(name)) diag('error', 'onnx-duplicate-value', `value '${name}' is produced twice (node '${n.name || id}')`);
      values.set(name, { id: name, shape, dtype, source: 'node', producer: id, name });
    }
    const flops = domain
      ? 0
      : nodeFlops(
          n.opType,
          ins,
          outNames.map((o) => known.get(o) ?? null),
          attrs,
        );
    flopsTotal += flops;
    const graphAttrs: Record<string, AttrValue> = {};
    for (const [k, v] of attrs) graphAttrs[k] = attrToGraph(v);
    nodes.push({
      id,
      op,
      // Ops of other domains share only the kind of their default-domain namesake.
      role: domain ? { kind: onnxRole(n.opType).kind } : onnxRole(n.opType),
      modulePath: null,
      scope: scopeOfNodeName(n.name),
      attrs: graphAttrs,
      args: { name: n.name, inputs: n.input },
      inputs: n.input.filter((s) => s.length > 0),
      outputs: outNames.filter((s) => s.length > 0),
      params: n.input.reduce((acc, s) => acc + (initializers.get(s)?.numel ?? 0), 0),
      flops,
      range: null,
      callPath: [],
    });
  }
  for (const [op, count] of unknownOps) {
    diag('info', 'onnx-unknown-op', `${op} (${count} node${count > 1 ? 's' : ''}): no shape rule; its output shapes come from the file only`);
  }

  const outputs: string[] = [];
  for (const vi of g.output) {
    if (!values.has(vi.name)) {
      diag('error', 'onnx-undefined-value', `graph output '${vi.name}' is not produced by any node`);
      continue;
    }
    outputs.push(vi.name);
    if (!values.get(vi.name)!.shape?.every((d) => d.value !== null))
      diag('warning', 'onnx-output-shape', `the shape of output '${vi.name}' is not fully known`);
  }

  const graph: ModelGraph = {
    expr: file,
    className: g.name || 'onnx',
    file,
    inputs,
    inputKind: 'args',
    outputs,
    outputKind: outputs.length === 1 ? 'tensor' : 'tuple',
    values,
    nodes,
    modules: [],
    lines: [],
    diagnostics,
    stateDict,
    paramsTotal,
    flopsTotal,
    classRange: null,
  };
  return {
    graph,
    opset,
    opsets,
    irVersion: int64(model.irVersion, 'ir_version'),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    initializers,
    nodeAttributes,
  };
}
