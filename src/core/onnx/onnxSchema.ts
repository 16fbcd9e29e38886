// The subset of the ONNX protobuf schema (onnx.proto, IR version 8) that Fusion Lens reads and writes, as a protobufjs reflection root.
import * as protobuf from 'protobufjs/light';

type Rule = 'repeated' | undefined;
type FieldSpec = [name: string, id: number, type: string, rule?: Rule, packed?: boolean];

/** Builds a protobufjs JSON descriptor for one message from `[name, number, type, rule]` rows. */
function message(rows: readonly FieldSpec[], nested?: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, id, type, rule, packed] of rows) {
    const f: Record<string, unknown> = { id, type };
    if (rule) f.rule = rule;
    // proto2 defaults repeated scalars to unpacked; ONNX writers (and readers) use packed for numeric arrays.
    if (packed) f.options = { packed: true };
    fields[name] = f;
  }
  return nested ? { fields, nested } : { fields };
}

const R: Rule = 'repeated';

/** Field numbers follow the published onnx.proto; only the fields Fusion Lens uses are declared (others are skipped on decode). */
const descriptor = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: message([
          ['key', 1, 'string'],
          ['value', 2, 'string'],
        ]),
        OperatorSetIdProto: message([
          ['domain', 1, 'string'],
          ['version', 2, 'int64'],
        ]),
        TensorShapeProto: message([['dim', 1, 'Dimension', R]], {
          Dimension: {
            oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
            ...message([
              ['dimValue', 1, 'int64'],
              ['dimParam', 2, 'string'],
              ['denotation', 3, 'string'],
            ]),
          },
        }),
        TypeProto: message(
          [
            ['tensorType', 1, 'Tensor'],
            ['denotation', 6, 'string'],
          ],
          {
            Tensor: message([
              ['elemType', 1, 'int32'],
              ['shape', 2, 'TensorShapeProto'],
            ]),
          },
        ),
        ValueInfoProto: message([
          ['name', 1, 'string'],
          ['type', 2, 'TypeProto'],
          ['docString', 3, 'string'],
        ]),
        TensorProto: message(
          [
            ['dims', 1, 'int64', R, true],
            ['dataType', 2, 'int32'],
            ['segment', 3, 'Segment'],
            ['floatData', 4, 'float', R, true],
            ['int32Data', 5, 'int32', R, true],
            ['stringData', 6, 'bytes', R],
            ['int64Data', 7, 'int64', R, true],
            ['name', 8, 'string'],
            ['rawData', 9, 'bytes'],
            ['doubleData', 10, 'double', R, true],
            ['uint64Data', 11, 'uint64', R, true],
            ['docString', 12, 'string'],
            ['externalData', 13, 'StringStringEntryProto', R],
            ['dataLocation', 14, 'int32'],
          ],
          {
            Segment: message([
              ['begin', 1, 'int64'],
              ['end', 2, 'int64'],
            ]),
          },
        ),
        AttributeProto: message([
          ['name', 1, 'string'],
          ['f', 2, 'float'],
          ['i', 3, 'int64'],
          ['s', 4, 'bytes'],
          ['t', 5, 'TensorProto'],
          ['g', 6, 'GraphProto'],
          ['floats', 7, 'float', R, true],
          ['ints', 8, 'int64', R, true],
          ['strings', 9, 'bytes', R],
          ['tensors', 10, 'TensorProto', R],
          ['graphs', 11, 'GraphProto', R],
          ['docString', 13, 'string'],
          ['type', 20, 'int32'],
          ['refAttrName', 21, 'string'],
        ]),
        NodeProto: message([
          ['input', 1, 'string', R],
          ['output', 2, 'string', R],
          ['name', 3, 'string'],
          ['opType', 4, 'string'],
          ['attribute', 5, 'AttributeProto', R],
          ['docString', 6, 'string'],
          ['domain', 7, 'string'],
        ]),
        GraphProto: message([
          ['node', 1, 'NodeProto', R],
          ['name', 2, 'string'],
          ['initializer', 5, 'TensorProto', R],
          ['docString', 10, 'string'],
          ['input', 11, 'ValueInfoProto', R],
          ['output', 12, 'ValueInfoProto', R],
          ['valueInfo', 13, 'ValueInfoProto', R],
        ]),
        ModelProto: message([
          ['irVersion', 1, 'int64'],
          ['producerName', 2, 'string'],
          ['producerVersion', 3, 'string'],
          ['domain', 4, 'string'],
          ['modelVersion', 5, 'int64'],
          ['docString', 6, 'string'],
          ['graph', 7, 'GraphProto'],
          ['opsetImport', 8, 'OperatorSetIdProto', R],
          ['metadataProps', 14, 'StringStringEntryProto', R],
        ]),
      },
    },
  },
};

/** ONNX TensorProto.DataType numbers. */
export const OnnxDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

/** ONNX AttributeProto.AttributeType numbers. */
export const OnnxAttrType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

let root: protobuf.Root | null = null;

/** The reflected `onnx.ModelProto` type (built once). */
export function modelProtoType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(descriptor);
  return root.lookupType('onnx.ModelProto');
}
