// Builds input tensors from the request's input sources: seeded normals (same streams as the CLI's --seed), raw float32 data, or a decoded image.
import type { RunInput } from '../../src/protocol';
import { bytesOf } from '../../src/protocol';
import type { RunTensor } from '../../src/core/run/runner';
import { Rng } from '../../src/core/weights/rng';

/** Input `index` draws from stream `input.<index>`, exactly as `fusion-lens run --seed` does. */
export function seededTensor(dims: readonly number[], seed: number, index: number): RunTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const rng = new Rng(seed, `input.${index}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return { dtype: 'float32', shape: [...dims], data };
}

export function rawTensor(input: RunInput, data: Uint8Array): RunTensor {
  const n = input.dims.reduce((a, b) => a * b, 1);
  if (data.byteLength !== n * 4)
    throw new Error(`input '${input.name}': ${data.byteLength} bytes given, ${n * 4} needed for [${input.dims.join(', ')}] float32`);
  // copy into an aligned buffer: the bytes may sit at any offset of a larger message buffer
  const copy = new Uint8Array(n * 4);
  copy.set(data);
  return { dtype: 'float32', shape: [...input.dims], data: new Float32Array(copy.buffer) };
}

/** Non-image inputs; image inputs are decoded by the caller (they need the DOM). */
export function tensorFor(input: RunInput, index: number): RunTensor | null {
  if (input.source.kind === 'seeded') return seededTensor(input.dims, input.source.seed, index);
  if (input.source.kind === 'data') return rawTensor(input, bytesOf(input.source.data));
  return null;
}
