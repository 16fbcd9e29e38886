// ONNX node attributes as plain values (numbers, arrays, strings, tensors) with typed accessors.
import { OnnxAttrType } from './onnxSchema';
import { AttributeMsg, int64 } from './onnxProto';
import { decodeTensor, DecodedTensor } from './onnxTensor';

export type OnnxAttrValue = number | number[] | string | string[] | DecodedTensor | DecodedTensor[] | { readonly graph: string };

const decoder = new TextDecoder('utf-8', { fatal: false });
/** Absent bytes fields decode to a default that is not a Uint8Array; treat them as empty. */
const text = (b: unknown): string => (b instanceof Uint8Array ? decoder.decode(b) : '');

/** Attribute values by name. The type field decides; files that omit it (old writers) fall back to the filled field. */
export function readAttributes(attrs: readonly AttributeMsg[], maxElements: number): Map<string, OnnxAttrValue> {
  const out = new Map<string, OnnxAttrValue>();
  for (const a of attrs) {
    const what = `attribute '${a.name}'`;
    switch (a.type) {
      case OnnxAttrType.FLOAT:
        out.set(a.name, a.f);
        break;
      case OnnxAttrType.INT:
        out.set(a.name, int64(a.i, what));
        break;
      case OnnxAttrType.STRING:
        out.set(a.name, text(a.s));
        break;
      case OnnxAttrType.TENSOR:
        if (a.t) out.set(a.name, decodeTensor(a.t, maxElements));
        break;
      case OnnxAttrType.GRAPH:
        out.set(a.name, { graph: a.g?.name ?? '' });
        break;
      case OnnxAttrType.FLOATS:
        out.set(a.name, [...a.floats]);
        break;
      case OnnxAttrType.INTS:
        out.set(
          a.name,
          a.ints.map((v) => int64(v, what)),
        );
        break;
      case OnnxAttrType.STRINGS:
        out.set(a.name, a.strings.map(text));
        break;
      case OnnxAttrType.TENSORS:
        out.set(
          a.name,
          a.tensors.map((t) => decodeTensor(t, maxElements)),
        );
        break;
      default:
        if (a.ints.length)
          out.set(
            a.name,
            a.ints.map((v) => int64(v, what)),
          );
        else if (a.floats.length) out.set(a.name, [...a.floats]);
        else if (a.t) out.set(a.name, decodeTensor(a.t, maxElements));
        else if (a.s instanceof Uint8Array && a.s.length) out.set(a.name, text(a.s));
        else if (a.f) out.set(a.name, a.f);
        else out.set(a.name, int64(a.i, what));
    }
  }
  return out;
}

export function attrInt(attrs: ReadonlyMap<string, OnnxAttrValue>, name: string, dflt: number): number {
  const v = attrs.get(name);
  return typeof v === 'number' ? v : dflt;
}

export function attrInts(attrs: ReadonlyMap<string, OnnxAttrValue>, name: string): number[] | null {
  const v = attrs.get(name);
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
}

export function attrString(attrs: ReadonlyMap<string, OnnxAttrValue>, name: string, dflt: string): string {
  const v = attrs.get(name);
  return typeof v === 'string' ? v : dflt;
}

export function attrTensor(attrs: ReadonlyMap<string, OnnxAttrValue>, name: string): DecodedTensor | null {
  const v = attrs.get(name);
  return v && typeof v === 'object' && !Array.isArray(v) && 'dtype' in v ? v : null;
}
