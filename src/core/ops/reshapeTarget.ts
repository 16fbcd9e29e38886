// Resolves a view/reshape target (with at most one -1) against the input's element count, symbolically.
import { Dim, dim, dimFloorDiv, dimMul } from '../shape/dim';
import { Shape } from '../shape/shape';
import { showShape } from './showShape';
import { ShapeError } from './types';

export function dimProduct(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((a, d) => dimMul(a, d), dim(1));
}

function targetText(target: readonly Dim[]): string {
  return `[${target.map((d) => (d.value === null ? '?' : String(d.value))).join(', ')}]`;
}

/** The output shape of `x.view(*target)`; throws when the element counts cannot agree. */
export function reshapeTarget(op: string, input: Shape, target: readonly Dim[]): Shape {
  const total = dimProduct(input);
  const inferred = target.map((d, i) => (d.value === -1 ? i : -1)).filter((i) => i >= 0);
  if (inferred.length > 1) throw new ShapeError(`${op}: only one dimension can be inferred (-1), got ${targetText(target)}`);
  for (const d of target) {
    if (d.value !== null && d.value < -1) throw new ShapeError(`${op}: invalid shape dimension ${d.value} in ${targetText(target)}`);
  }
  const known = target.filter((d) => d.value !== -1);
  const knownProd = dimProduct(known);
  if (inferred.length === 0) {
    if (total.value !== null && knownProd.value !== null && total.value !== knownProd.value) {
      throw new ShapeError(
        `${op}: shape ${targetText(target)} (${knownProd.value} elements) is invalid for input ${showShape(input)} with ${total.value} elements`,
      );
    }
    return [...target];
  }
  if (knownProd.value === 0) {
    throw new ShapeError(`${op}: cannot reshape a tensor into shape ${targetText(target)}: the -1 could be any size when another dimension is 0`);
  }
  if (total.value !== null && knownProd.value !== null && total.value % knownProd.value !== 0) {
    throw new ShapeError(
      `${op}: shape ${targetText(target)} is invalid for input ${showShape(input)} with ${total.value} elements ` +
        `(${total.value} is not divisible by ${knownProd.value})`,
    );
  }
  const out = [...target];
  out[inferred[0]] = dimFloorDiv(total, knownProd);
  return out;
}
