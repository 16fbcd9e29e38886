// Counts edge crossings between two adjacent ranks with a Fenwick tree (O(E log V)).

/**
 * `upper[i]`/`lower[i]` are the positions of segment i's ends in the upper and lower rank; `lowerSize` is the
 * lower rank's length. Two segments cross when their ends are in opposite orders.
 */
export function countCrossings(upper: Int32Array, lower: Int32Array, lowerSize: number): number {
  const m = upper.length;
  if (m < 2) return 0;
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = i;
  idx.sort((a, b) => upper[a]! - upper[b]! || lower[a]! - lower[b]!);
  const tree = new Int32Array(lowerSize + 1);
  let crossings = 0;
  let seen = 0;
  for (let k = 0; k < m; k++) {
    const p = lower[idx[k]!]! + 1;
    // crossings with earlier segments whose lower end is strictly to the right
    let atMost = 0;
    for (let j = p; j > 0; j -= j & -j) atMost += tree[j]!;
    crossings += seen - atMost;
    for (let j = p; j <= lowerSize; j += j & -j) tree[j]!++;
    seen++;
  }
  return crossings;
}
