// Shape rules of the windowed ONNX ops (Conv, ConvTranspose, pooling): output sizes from kernel, stride, dilation and pads.
import { attrInt, attrInts, attrString } from './onnxAttributes';
import type { Attrs, Rule } from './onnxShapeInference';

function spatialOut(input: number | null, k: number, s: number, d: number, pb: number, pe: number, ceil: boolean): number | null {
  if (input === null) return null;
  const span = input + pb + pe - d * (k - 1) - 1;
  return (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
}

/** Shared by Conv and the pools: output spatial dims from kernel, strides, pads, dilations and auto_pad. */
function windowed(x: readonly (number | null)[], kernel: readonly number[], attrs: Attrs): (number | null)[] {
  const n = kernel.length;
  const strides = attrInts(attrs, 'strides') ?? Array(n).fill(1);
  const dil = attrInts(attrs, 'dilations') ?? Array(n).fill(1);
  const pads = attrInts(attrs, 'pads') ?? Array(2 * n).fill(0);
  const autoPad = attrString(attrs, 'auto_pad', 'NOTSET');
  const ceil = attrInt(attrs, 'ceil_mode', 0) === 1;
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const inp = x[2 + i] ?? null;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') out.push(inp === null ? null : Math.ceil(inp / strides[i]!));
    else if (autoPad === 'VALID') out.push(spatialOut(inp, kernel[i]!, strides[i]!, dil[i]!, 0, 0, false));
    else out.push(spatialOut(inp, kernel[i]!, strides[i]!, dil[i]!, pads[i]!, pads[i + n]!, ceil));
  }
  return out;
}

export const conv: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  const w = ins[1]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  if (!x || !w) return [{ shape: null, dtype }];
  const kernel = attrInts(attrs, 'kernel_shape') ?? (w.slice(2) as number[]);
  if (kernel.some((k) => k === null)) return [{ shape: null, dtype }];
  return [{ shape: [x[0] ?? null, w[0] ?? null, ...windowed(x, kernel, attrs)], dtype }];
};

export const convTranspose: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  const w = ins[1]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  if (!x || !w) return [{ shape: null, dtype }];
  const n = x.length - 2;
  const group = attrInt(attrs, 'group', 1);
  const cout = w[1] === null || w[1] === undefined ? null : w[1] * group;
  const given = attrInts(attrs, 'output_shape');
  if (given) return [{ shape: [x[0] ?? null, cout, ...given.slice(-n)], dtype }];
  const kernel = attrInts(attrs, 'kernel_shape') ?? (w.slice(2) as (number | null)[]);
  const strides = attrInts(attrs, 'strides') ?? Array(n).fill(1);
  const dil = attrInts(attrs, 'dilations') ?? Array(n).fill(1);
  const pads = attrInts(attrs, 'pads') ?? Array(2 * n).fill(0);
  const outPad = attrInts(attrs, 'output_padding') ?? Array(n).fill(0);
  const sp: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const inp = x[2 + i];
    const k = kernel[i];
    sp.push(
      inp === null || inp === undefined || k === null || k === undefined
        ? null
        : (inp - 1) * strides[i]! - pads[i]! - pads[i + n]! + dil[i]! * (k - 1) + outPad[i]! + 1,
    );
  }
  return [{ shape: [x[0] ?? null, cout, ...sp], dtype }];
};

export const pool: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  const kernel = attrInts(attrs, 'kernel_shape');
  if (!x || !kernel)
    return [
      { shape: null, dtype },
      { shape: null, dtype: 'int64' },
    ];
  const shape = [x[0] ?? null, x[1] ?? null, ...windowed(x, kernel, attrs)];
  return [
    { shape, dtype },
    { shape, dtype: 'int64' },
  ];
};

export const globalPool: Rule = (ins) => {
  const x = ins[0]?.shape;
  return [{ shape: x ? [x[0] ?? null, x[1] ?? null, ...x.slice(2).map(() => 1)] : null, dtype: ins[0]?.dtype ?? null }];
};
