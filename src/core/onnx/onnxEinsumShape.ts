// Output shape of an ONNX Einsum node from its equation (explicit or implicit output, `...` broadcast) and operand shapes.

type Dims = readonly (number | null)[];

/** Broadcast of the `...` parts (null = unknown dim), right-aligned. */
function broadcastParts(parts: readonly Dims[]): (number | null)[] {
  const rank = Math.max(0, ...parts.map((p) => p.length));
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    let d: number | null = 1;
    for (const p of parts) {
      const k = p.length - rank + i;
      const v = k < 0 ? 1 : p[k]!;
      if (v === null) d = d === 1 ? null : d;
      else if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

/** The output dims, or null when an operand's shape is unknown or the equation does not fit the operands. */
export function einsumOutputShape(equation: string, shapes: readonly (Dims | null)[]): (number | null)[] | null {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->');
  const terms = lhs!.split(',');
  if (terms.length !== shapes.length || shapes.some((s) => !s)) return null;
  const sizes = new Map<string, number | null>();
  const ellipses: Dims[] = [];
  for (let i = 0; i < terms.length; i++) {
    const s = shapes[i]!;
    const [pre, post] = terms[i]!.includes('...') ? terms[i]!.split('...') : [terms[i]!, null];
    const named = pre!.length + (post?.length ?? 0);
    if (post === null ? s.length !== named : s.length < named) return null;
    const letters = post === null ? [...pre!] : [...pre!, ...post];
    const dims = post === null ? s : [...s.slice(0, pre!.length), ...s.slice(s.length - post.length)];
    if (post !== null) ellipses.push(s.slice(pre!.length, s.length - post.length));
    letters.forEach((l, j) => {
      const d = dims[j]!;
      const prev = sizes.get(l);
      if (prev === undefined || prev === 1 || prev === null) sizes.set(l, prev === null && d === 1 ? null : d);
    });
  }
  const ell = broadcastParts(ellipses);
  let out: string;
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const t of terms) for (const l of t.replace('...', '')) counts.set(l, (counts.get(l) ?? 0) + 1);
    out =
      (ellipses.length ? '...' : '') +
      [...counts]
        .filter(([, n]) => n === 1)
        .map(([l]) => l)
        .sort()
        .join('');
  } else out = rhs;
  const result: (number | null)[] = [];
  const [opre, opost] = out.includes('...') ? out.split('...') : [out, null];
  for (const l of opre!) result.push(sizes.has(l) ? sizes.get(l)! : null);
  if (opost !== null) {
    result.push(...ell);
    for (const l of opost) result.push(sizes.has(l) ? sizes.get(l)! : null);
  }
  return result;
}
