// Plain TypeScript views of the decoded ONNX messages, and the int64 conversion they need.

/** protobufjs yields int64 fields as numbers or as Long objects (when the `long` package is loadable). */
export type Int64 = number | { readonly low: number; readonly high: number; readonly unsigned?: boolean; toNumber(): number };

export class OnnxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

/** An int64 field as a JS number; refuses values beyond 2^53 (no ONNX size or index legitimately needs them). */
export function int64(v: Int64 | null | undefined, what: string): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : v.toNumber();
  if (!Number.isSafeInteger(n)) throw new OnnxFormatError(`${what}: integer ${String(n)} is out of range`);
  return n;
}

export interface StringStringEntryMsg {
  key: string;
  value: string;
}

export interface DimensionMsg {
  dimValue?: Int64 | null;
  dimParam?: string | null;
  value?: 'dimValue' | 'dimParam';
}

export interface TypeProtoMsg {
  tensorType?: { elemType: number; shape?: { dim: DimensionMsg[] } | null } | null;
}

export interface ValueInfoMsg {
  name: string;
  type?: TypeProtoMsg | null;
}

export interface TensorMsg {
  dims: Int64[];
  dataType: number;
  floatData: number[];
  int32Data: number[];
  int64Data: Int64[];
  doubleData: number[];
  uint64Data: Int64[];
  stringData: Uint8Array[];
  name: string;
  rawData: Uint8Array;
  externalData: StringStringEntryMsg[];
  dataLocation: number;
  segment?: unknown;
}

export interface AttributeMsg {
  name: string;
  type: number;
  f: number;
  i: Int64;
  s: Uint8Array;
  t?: TensorMsg | null;
  g?: GraphMsg | null;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
  tensors: TensorMsg[];
  graphs: GraphMsg[];
  refAttrName: string;
}

export interface NodeMsg {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain: string;
  attribute: AttributeMsg[];
}

export interface GraphMsg {
  node: NodeMsg[];
  name: string;
  initializer: TensorMsg[];
  input: ValueInfoMsg[];
  output: ValueInfoMsg[];
  valueInfo: ValueInfoMsg[];
}

export interface ModelMsg {
  irVersion: Int64;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: Int64;
  docString: string;
  graph?: GraphMsg | null;
  opsetImport: { domain: string; version: Int64 }[];
  metadataProps: StringStringEntryMsg[];
}
