// Decodes `.onnx` bytes into ModelProto messages with hard limits: size cap, bounds-checked lengths, clear errors.
import { modelProtoType } from './onnxSchema';
import { GraphMsg, ModelMsg, OnnxFormatError } from './onnxProto';

export interface OnnxReadLimits {
  /** Refuse files larger than this many bytes (default 1 GiB). */
  readonly maxBytes?: number;
  /** Refuse graphs with more nodes than this (default 1,000,000). */
  readonly maxNodes?: number;
}

export const DEFAULT_MAX_ONNX_BYTES = 1024 * 1024 * 1024;
const DEFAULT_MAX_NODES = 1_000_000;

/** Wire-level decode of a ModelProto. Any malformed input becomes an OnnxFormatError naming the problem. */
export function readModelProto(bytes: Uint8Array, limits: OnnxReadLimits = {}): ModelMsg {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_ONNX_BYTES;
  if (bytes.length > maxBytes) {
    throw new OnnxFormatError(`ONNX file is ${bytes.length} bytes, above the limit of ${maxBytes} bytes`);
  }
  if (bytes.length === 0) throw new OnnxFormatError('ONNX file is empty');
  let model: ModelMsg;
  try {
    // protobufjs bounds-checks every length prefix against the buffer ("index out of range"), so a
    // lying length cannot make it read past the end or allocate more than the input holds.
    model = modelProtoType().decode(bytes) as unknown as ModelMsg;
  } catch (e) {
    const why = e instanceof RangeError && /call stack/i.test(e.message) ? 'nesting too deep' : e instanceof Error ? e.message : String(e);
    throw new OnnxFormatError(`not a valid ONNX file (truncated or corrupt): ${why}`);
  }
  if (!model.graph) throw new OnnxFormatError('not a valid ONNX file: it has no graph');
  const maxNodes = limits.maxNodes ?? DEFAULT_MAX_NODES;
  checkGraph(model.graph, maxNodes);
  return model;
}

function checkGraph(g: GraphMsg, maxNodes: number): void {
  if (g.node.length > maxNodes) throw new OnnxFormatError(`graph has ${g.node.length} nodes, above the limit of ${maxNodes}`);
  for (const [i, n] of g.node.entries()) {
    if (!n.opType) throw new OnnxFormatError(`node ${i} ('${n.name}') has no op_type`);
  }
}
