// torch.einsum: parses the equation (with `...` and implicit output) and checks/combines operand sizes.
import { Dim, dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { describe, strArg } from './args';
import { broadcastAll } from './broadcast';
import { numelOf } from './flopsCount';
import { promoteTypes } from './promote';
import { registerOps } from './registry';
import { req, star } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, ShapeError, UnknownArgError } from './types';
import { PyValue, TensorValue } from './values';
import { einsumLowering } from './lowerLinear';

interface Term {
  readonly letters: string[];
  /** Position of `...` among the letters, or -1. */
  readonly ellipsisAt: number;
}

function parseTerm(text: string, op: string): Term {
  const t = text.replace(/\s+/g, '');
  const at = t.indexOf('...');
  if (at >= 0 && t.indexOf('...', at + 3) >= 0) throw new ShapeError(`${op}: more than one '...' in subscript '${text}'`);
  const body = t.replace('...', '');
  if (!/^[a-zA-Z]*$/.test(body)) throw new ShapeError(`${op}: invalid subscript '${text}': only letters and '...' are allowed`);
  return { letters: [...body], ellipsisAt: at < 0 ? -1 : [...t.slice(0, at)].length };
}

function operands(args: Readonly<Record<string, PyValue>>, op: string): TensorValue[] {
  const raw = args.operands;
  let items: readonly PyValue[] = raw && raw.kind === 'tuple' ? raw.items : [];
  // einsum(eq, [a, b]) passes the operands as one list.
  if (items.length === 1 && (items[0].kind === 'list' || items[0].kind === 'tuple')) items = (items[0] as { items: readonly PyValue[] }).items;
  return items.map((v, i) => {
    if (v.kind === 'unknown') throw new UnknownArgError(`${op}: operand ${i} is unknown`);
    if (v.kind !== 'tensor') throw new ShapeError(`${op}: operand ${i} must be a tensor, not ${describe(v)}`);
    return v;
  });
}

export function einsumShape(op: string, equation: string, ts: readonly TensorValue[]): Shape | null {
  const [lhs, rhs] = equation.split('->');
  const inputs = lhs.split(',').map((s) => parseTerm(s, op));
  if (inputs.length !== ts.length)
    throw new ShapeError(`${op}: the equation '${equation}' has ${inputs.length} operand subscripts but ${ts.length} tensors were given`);
  if (ts.some((t) => !t.shape)) return null;
  const sizes = new Map<string, { d: Dim; from: number }>();
  const ellipsisShapes: Shape[] = [];
  inputs.forEach((term, i) => {
    const s = ts[i].shape as Shape;
    const named = term.letters.length;
    if (term.ellipsisAt < 0 ? s.length !== named : s.length < named) {
      throw new ShapeError(
        `${op}: subscript '${lhs.split(',')[i].trim()}' has ${named} dimensions${term.ellipsisAt >= 0 ? ' (plus ...)' : ''} but operand ${i} is ${showShape(s)}`,
      );
    }
    const extra = s.length - named;
    const dims: { letter: string; d: Dim }[] = [];
    let k = 0;
    term.letters.forEach((letter, j) => {
      if (j === term.ellipsisAt) k += extra;
      dims.push({ letter, d: s[k++] });
    });
    if (term.ellipsisAt >= 0) ellipsisShapes.push(s.slice(term.ellipsisAt, term.ellipsisAt + extra));
    for (const { letter, d } of dims) {
      const prev = sizes.get(letter);
      if (!prev || prev.d.value === 1) sizes.set(letter, { d, from: i });
      else if (d.value !== 1 && dimEquals(prev.d, d) === false) {
        throw new ShapeError(`${op}: subscript '${letter}' has size ${prev.d.value} in operand ${prev.from} but ${d.value} in operand ${i}`);
      }
    }
  });
  const ell = ellipsisShapes.length ? broadcastAll(ellipsisShapes, `${op} (...)`) : [];
  let out: Term;
  if (rhs === undefined) {
    // Implicit output: letters used exactly once, in alphabetical order, after the broadcast `...` dims.
    const counts = new Map<string, number>();
    for (const t of inputs) for (const l of t.letters) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts.entries()]
      .filter(([, n]) => n === 1)
      .map(([l]) => l)
      .sort();
    out = { letters: once, ellipsisAt: ellipsisShapes.length ? 0 : -1 };
  } else {
    out = parseTerm(rhs, op);
  }
  const result: Dim[] = [];
  out.letters.forEach((l, j) => {
    if (j === out.ellipsisAt) result.push(...ell);
    const s = sizes.get(l);
    if (!s) throw new ShapeError(`${op}: output subscript '${l}' does not appear in the inputs of '${equation}'`);
    result.push(s.d);
  });
  if (out.ellipsisAt === out.letters.length) result.push(...ell);
  if (new Set(out.letters).size !== out.letters.length) throw new ShapeError(`${op}: output subscripts of '${equation}' repeat a letter`);
  return result;
}

const einsum: FunctionOpDef = {
  kind: 'function',
  name: 'torch.einsum',
  family: 'matmul',
  signature: [req('equation'), star('operands')],
  onnx: einsumLowering,
  infer(args, ctx) {
    const op = 'torch.einsum';
    const ts = operands(args, op);
    if (ts.length === 0) throw new ShapeError(`${op}: must provide at least one operand`);
    const dtype = ts.map((t) => t.dtype).reduce(promoteTypes);
    return ctx.tensor(einsumShape(op, strArg(args, 'equation', op), ts), dtype);
  },
  flops(args, out) {
    // 2 per multiply-add over the full index space: output elements × contracted sizes.
    const ts = (() => {
      try {
        return operands(args, 'torch.einsum');
      } catch {
        return [];
      }
    })();
    const eq = args.equation && args.equation.kind === 'str' ? args.equation.value : '';
    const outLetters = new Set((eq.split('->')[1] ?? '').replace(/[^a-zA-Z]/g, ''));
    let contracted = 1;
    const seen = new Set<string>();
    eq.split('->')[0]
      .split(',')
      .forEach((term, i) => {
        const letters = term.replace(/[^a-zA-Z]/g, '');
        const s = ts[i]?.shape;
        if (!s || term.includes('...')) return;
        [...letters].forEach((l, j) => {
          if (!outLetters.has(l) && !seen.has(l)) contracted *= s[j]?.value ?? 1;
          seen.add(l);
        });
      });
    return 2 * numelOf(out) * contracted;
  },
};

registerOps([einsum]);
