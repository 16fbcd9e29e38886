// Corrupt-binary fuzz inputs: a fixture plus byte damage, a lying header/message, or an oversized file; and how to build the bytes.
import fc from 'fast-check';
import { applyByteMutations, byteMutationsArb, type ByteMutation } from './binaryMutations';
import { applyHeaderLie, applyOnnxLie, headerLieArb, onnxLieArb, type HeaderLie, type OnnxLie } from './headerMutations';
import { ONNX_FUZZ_MAX_BYTES, type BinaryKind } from './binaryCase';
import type { BinarySeed } from './fuzzCorpus';
import { ZipArchive, isZip } from '../../src/core/weights/checkpoint/zipArchive';

/** Where the pickle of a torch file lies: data.pkl's bytes in a (stored) zip, else the whole file. */
function pickleSpan(src: Uint8Array): [number, number] {
  if (!isZip(src)) return [0, src.length];
  const e = [...new ZipArchive(src).entries.values()].find((x) => x.name.endsWith('data.pkl'))!;
  return [e.dataOffset, e.dataOffset + e.compressedSize];
}

export type BinaryDamage =
  | { readonly t: 'bytes'; readonly ms: ByteMutation[] }
  /** .pt: same-length damage inside the pickle (data.pkl of a zip, the whole file of a legacy one), so the opcodes are hit. */
  | { readonly t: 'pickle'; readonly ms: ByteMutation[] }
  | { readonly t: 'lie'; readonly lie: HeaderLie | OnnxLie; readonly then: ByteMutation[] }
  | { readonly t: 'oversize'; readonly extra: number };

export interface BinaryInput {
  readonly seed: number;
  readonly damage: BinaryDamage;
}

export function binaryInputArb(kind: BinaryKind): fc.Arbitrary<BinaryInput> {
  const lie: fc.Arbitrary<HeaderLie | OnnxLie> = kind === 'onnx' ? onnxLieArb : headerLieArb;
  if (kind === 'pt') {
    const sameLength = fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('flipBits' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }), count: fc.integer({ min: 1, max: 8 }) }),
        fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
        fc.record({ kind: fc.constant('bigVarint' as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 4 },
    );
    return fc.record({
      seed: fc.nat(),
      damage: fc.oneof(
        { arbitrary: fc.record({ t: fc.constant('pickle' as const), ms: sameLength }), weight: 6 },
        { arbitrary: fc.record({ t: fc.constant('bytes' as const), ms: byteMutationsArb }), weight: 3 },
        { arbitrary: fc.record({ t: fc.constant('oversize' as const), extra: fc.integer({ min: 1, max: 1 << 20 }) }), weight: 1 },
      ),
    });
  }
  return fc.record({
    seed: fc.nat(),
    damage: fc.oneof(
      { arbitrary: fc.record({ t: fc.constant('bytes' as const), ms: byteMutationsArb }), weight: 6 },
      {
        arbitrary: fc.record({
          t: fc.constant('lie' as const),
          lie,
          then: fc.array(fc.constantFrom<ByteMutation>({ kind: 'truncate', at: 1 << 30 }), { maxLength: 1 }),
        }),
        weight: 3,
      },
      { arbitrary: fc.record({ t: fc.constant('oversize' as const), extra: fc.integer({ min: 1, max: 1 << 20 }) }), weight: 1 },
    ),
  });
}

/** The bytes of one case. A lie that the protobuf/JSON writer itself cannot express falls back to the fixture. */
export function binaryBytes(kind: BinaryKind, seeds: readonly BinarySeed[], input: BinaryInput): Uint8Array {
  const src = seeds[input.seed % seeds.length]!.bytes;
  const d = input.damage;
  if (d.t === 'bytes') return applyByteMutations(src, d.ms);
  if (d.t === 'pickle') {
    const [start, end] = pickleSpan(src);
    const out = src.slice();
    out.set(applyByteMutations(src.subarray(start, end), d.ms).subarray(0, end - start), start);
    return out;
  }
  if (d.t === 'oversize') {
    // ONNX: above the decoder's byte limit; safetensors: valid framing with a long trailing region.
    const size = kind === 'onnx' ? ONNX_FUZZ_MAX_BYTES + d.extra : src.length + d.extra;
    const out = new Uint8Array(size);
    out.set(src);
    return out;
  }
  let lied: Uint8Array;
  try {
    lied = kind === 'onnx' ? applyOnnxLie(src, d.lie as OnnxLie) : applyHeaderLie(src, d.lie as HeaderLie);
  } catch {
    lied = src;
  }
  return applyByteMutations(lied, d.then);
}
