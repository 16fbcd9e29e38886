// fast-check arbitraries that corrupt binary files (.onnx, .safetensors): truncation, bit flips, lying sizes.
import fc from 'fast-check';

export type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flipBits'; at: number; mask: number; count: number }
  | { kind: 'overwrite'; at: number; bytes: number[] }
  | { kind: 'bigVarint'; at: number }
  | { kind: 'append'; bytes: number[] };

export const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flipBits' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 12 }) }),
  // A maximal protobuf varint or a huge little-endian length where a size field may sit.
  fc.record({ kind: fc.constant('bigVarint' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }) }),
);

export function applyByteMutation(src: Uint8Array, m: ByteMutation): Uint8Array {
  if (m.kind === 'truncate') return src.slice(0, m.at % (src.length + 1));
  if (m.kind === 'append') {
    const out = new Uint8Array(src.length + m.bytes.length);
    out.set(src);
    out.set(m.bytes, src.length);
    return out;
  }
  const out = src.slice();
  if (out.length === 0) return out;
  if (m.kind === 'flipBits') {
    for (let i = 0; i < m.count; i++) {
      const at = (m.at + i * 7919) % out.length;
      out[at] = out[at]! ^ m.mask;
    }
  } else if (m.kind === 'overwrite') {
    m.bytes.forEach((b, i) => (out[(m.at + i) % out.length] = b));
  } else {
    const big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    big.forEach((b, i) => (out[(m.at + i) % out.length] = b));
  }
  return out;
}

export const byteMutationsArb = fc.array(byteMutationArb, { minLength: 1, maxLength: 4 });

export function applyByteMutations(src: Uint8Array, ms: readonly ByteMutation[]): Uint8Array {
  return ms.reduce(applyByteMutation, src);
}
