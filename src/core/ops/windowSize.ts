// Output sizes of sliding-window ops (conv, pooling, transposed conv), kept symbolic through Dim arithmetic.
import { Dim, dimAdd, dimFloorDiv, dimCeilDiv, dimMul, dimSub } from '../shape/dim';

/** floor((n + 2p - d(k-1) - 1)/s) + 1, or with ceil when `ceilMode` (pooling). */
export function slidingOut(n: Dim, k: number, s: number, p: number, d: number, ceilMode: boolean): Dim {
  const span = dimAdd(n, 2 * p - d * (k - 1) - 1);
  if (!ceilMode) return dimAdd(dimFloorDiv(span, s), 1);
  let out = dimAdd(dimCeilDiv(span, s), 1);
  // torch: with ceil_mode the last window must start inside the input or its left padding.
  if (out.value !== null && n.value !== null && (out.value - 1) * s >= n.value + p) out = dimSub(out, 1);
  return out;
}

/** (n-1)s - 2p + d(k-1) + output_padding + 1 */
export function transposedOut(n: Dim, k: number, s: number, p: number, d: number, outPad: number): Dim {
  return dimAdd(dimMul(dimSub(n, 1), s), -2 * p + d * (k - 1) + outPad + 1);
}
