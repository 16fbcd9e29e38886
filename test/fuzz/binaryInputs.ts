// Corrupt-binary fuzz inputs: a fixture plus byte damage, a lying header/message, or an oversized file; and how to build the bytes.
import fc from 'fast-check';
import { applyByteMutations, byteMutationsArb, type ByteMutation } from './binaryMutations';
import { applyHeaderLie, applyOnnxLie, headerLieArb, onnxLieArb, type HeaderLie, type OnnxLie } from './headerMutations';
import { ONNX_FUZZ_MAX_BYTES, type BinaryKind } from './binaryCase';
import type { BinarySeed } from './fuzzCorpus';

export type BinaryDamage =
  | { readonly t: 'bytes'; readonly ms: ByteMutation[] }
  | { readonly t: 'lie'; readonly lie: HeaderLie | OnnxLie; readonly then: ByteMutation[] }
  | { readonly t: 'oversize'; readonly extra: number };

export interface BinaryInput {
  readonly seed: number;
  readonly damage: BinaryDamage;
}

export function binaryInputArb(kind: BinaryKind): fc.Arbitrary<BinaryInput> {
  const lie: fc.Arbitrary<HeaderLie | OnnxLie> = kind === 'onnx' ? onnxLieArb : headerLieArb;
  return fc.record({
    seed: fc.nat(),
    damage: fc.oneof(
      { arbitrary: fc.record({ t: fc.constant('bytes' as const), ms: byteMutationsArb }), weight: 6 },
      { arbitrary: fc.record({ t: fc.constant('lie' as const), lie, then: fc.array(fc.constantFrom<ByteMutation>({ kind: 'truncate', at: 1 << 30 }), { maxLength: 1 }) }), weight: 3 },
      { arbitrary: fc.record({ t: fc.constant('oversize' as const), extra: fc.integer({ min: 1, max: 1 << 20 }) }), weight: 1 },
    ),
  });
}

/** The bytes of one case. A lie that the protobuf/JSON writer itself cannot express falls back to the fixture. */
export function binaryBytes(kind: BinaryKind, seeds: readonly BinarySeed[], input: BinaryInput): Uint8Array {
  const src = seeds[input.seed % seeds.length]!.bytes;
  const d = input.damage;
  if (d.t === 'bytes') return applyByteMutations(src, d.ms);
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
