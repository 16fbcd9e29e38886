// NumPy/PyTorch broadcasting of two or more shapes, with errors that name both shapes and the dim.
import { Dim, dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { showShape } from './showShape';
import { ShapeError } from './types';

/** Broadcast result of `a` and `b`; sizes of 1 stretch, others must agree. */
export function broadcastShapes(a: Shape, b: Shape, op: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i];
    const db = b[b.length - rank + i];
    if (da === undefined) {
      out.push(db);
      continue;
    }
    if (db === undefined) {
      out.push(da);
      continue;
    }
    if (db.value === 1) {
      out.push(da.value === 1 && da.expr === null ? db : da);
      continue;
    }
    if (da.value === 1) {
      out.push(db);
      continue;
    }
    const eq = dimEquals(da, db);
    if (eq === false) {
      throw new ShapeError(
        `${op}: shapes ${showShape(a)} and ${showShape(b)} cannot be broadcast: at dimension ${i - rank} ` +
          `(dim ${i} of the result) the sizes are ${da.value} and ${db.value}, and neither is 1`,
      );
    }
    // Prefer the side that carries a symbolic expression.
    out.push(da.expr || da.value !== null ? da : db);
  }
  return out;
}

export function broadcastAll(shapes: readonly Shape[], op: string): Shape {
  return shapes.reduce((acc, s) => broadcastShapes(acc, s, op));
}
