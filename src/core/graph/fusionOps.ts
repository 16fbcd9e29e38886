// Classifies ModelGraph op keys (`nn.Conv2d`, `torch.cat`, `op.iadd`, `Tensor.add_`) into the roles the fusion analysis needs.

export type OpClass =
  | 'concat' | 'stack' | 'add' | 'sub' | 'mul' | 'div' | 'sum' | 'matmul'
  | 'softmax' | 'sigmoid' | 'mha' | 'sdpa'
  | 'conv' | 'convT' | 'linear' | 'embedding' | 'weighted'
  | 'norm' | 'pool' | 'interpolate' | 'pad' | 'shuffle'
  | 'layout' | 'dropout' | 'reduce' | 'other';

/** Python operator names as the interpreter spells them after `op.` (in-place and reflected forms included). */
const OPERATORS: Record<string, OpClass> = {
  add: 'add', iadd: 'add', radd: 'add',
  sub: 'sub', isub: 'sub', rsub: 'sub',
  mul: 'mul', imul: 'mul', rmul: 'mul',
  truediv: 'div', itruediv: 'div', rtruediv: 'div', div: 'div',
  matmul: 'matmul', imatmul: 'matmul', rmatmul: 'matmul',
  getitem: 'layout',
};

const NAMES: Record<string, OpClass> = {
  cat: 'concat', concat: 'concat', concatenate: 'concat',
  stack: 'stack',
  add: 'add', sub: 'sub', subtract: 'sub', rsub: 'sub', mul: 'mul', multiply: 'mul', div: 'div', divide: 'div', true_divide: 'div',
  sum: 'sum',
  matmul: 'matmul', bmm: 'matmul', mm: 'matmul',
  softmax: 'softmax',
  sigmoid: 'sigmoid', hardsigmoid: 'sigmoid', expit: 'sigmoid',
  multiheadattention: 'mha', scaled_dot_product_attention: 'sdpa',
  linear: 'linear', embedding: 'embedding', bilinear: 'weighted', lstm: 'weighted', gru: 'weighted', rnn: 'weighted',
  interpolate: 'interpolate', upsample: 'interpolate', upsample_nearest: 'interpolate', upsample_bilinear: 'interpolate',
  upsamplingnearest2d: 'interpolate', upsamplingbilinear2d: 'interpolate',
  pad: 'pad',
  pixelshuffle: 'shuffle', pixel_shuffle: 'shuffle', pixelunshuffle: 'shuffle', pixel_unshuffle: 'shuffle',
  view: 'layout', reshape: 'layout', flatten: 'layout', unflatten: 'layout', transpose: 'layout', permute: 'layout',
  unsqueeze: 'layout', squeeze: 'layout', expand: 'layout', expand_as: 'layout', repeat: 'layout', contiguous: 'layout',
  t: 'layout', movedim: 'layout', view_as: 'layout', reshape_as: 'layout', clone: 'layout', to: 'layout', float: 'layout',
  type_as: 'layout', detach: 'layout', getitem: 'layout', narrow: 'layout', select: 'layout',
  dropout: 'dropout', dropout2d: 'dropout', dropout1d: 'dropout', dropout3d: 'dropout', alphadropout: 'dropout', identity: 'dropout',
  mean: 'reduce', amax: 'reduce', amin: 'reduce', max: 'reduce', min: 'reduce', logsumexp: 'reduce',
};

/** `nn.Conv2d` → `conv2d`, `op.iadd` → `iadd`, `Tensor.add_` → `add`. */
export function opBaseName(op: string): string {
  const dot = op.lastIndexOf('.');
  let name = (dot < 0 ? op : op.slice(dot + 1)).toLowerCase();
  if (name.startsWith('__') && name.endsWith('__')) name = name.slice(2, -2);
  if (name.endsWith('_') && name.length > 1) name = name.slice(0, -1);
  return name;
}

/** ONNX op types (decoded `.onnx` graphs name nodes `onnx.<OpType>`), lower-cased. */
const ONNX: Record<string, OpClass> = {
  concat: 'concat', add: 'add', sub: 'sub', mul: 'mul', div: 'div', sum: 'add', matmul: 'matmul',
  softmax: 'softmax', sigmoid: 'sigmoid', hardsigmoid: 'sigmoid',
  conv: 'conv', convtranspose: 'convT', gemm: 'linear', gather: 'layout',
  maxpool: 'pool', averagepool: 'pool', globalaveragepool: 'pool', globalmaxpool: 'pool', lppool: 'pool',
  resize: 'interpolate', upsample: 'interpolate', pad: 'pad', depthtospace: 'shuffle', spacetodepth: 'shuffle',
  reshape: 'layout', flatten: 'layout', transpose: 'layout', unsqueeze: 'layout', squeeze: 'layout', expand: 'layout',
  identity: 'dropout', dropout: 'dropout', cast: 'layout', slice: 'layout',
  reducemean: 'reduce', reducemax: 'reduce', reducesum: 'sum',
  batchnormalization: 'norm', layernormalization: 'norm', instancenormalization: 'norm', groupnormalization: 'norm',
  lstm: 'weighted', gru: 'weighted', rnn: 'weighted',
};

export function classifyOp(op: string): OpClass {
  const base = opBaseName(op);
  if (op.startsWith('op.')) return OPERATORS[base] ?? 'other';
  if (op.startsWith('onnx.')) return ONNX[base] ?? 'other';
  const named = NAMES[base];
  if (named) return named;
  if (/^conv_?transpose\d?d?$/.test(base) || /^convtranspose\dd$/.test(base)) return 'convT';
  if (/^conv\dd$/.test(base)) return 'conv';
  if (/norm/.test(base)) return 'norm';
  if (/^(adaptive_?)?(max|avg|lp)_?pool\dd$/.test(base) || /^fractionalmaxpool/.test(base)) return 'pool';
  if (/^(zero|constant|reflection|replication|circular)pad\dd$/.test(base)) return 'pad';
  if (/^(rnn|lstm|gru)(cell)?$/.test(base)) return 'weighted';
  return 'other';
}

/** Ops with learned weights that count as one layer of depth (norms excluded: they rescale, they do not mix). */
export function isLayerClass(c: OpClass): boolean {
  return c === 'conv' || c === 'convT' || c === 'linear' || c === 'embedding' || c === 'weighted' || c === 'mha';
}

/** Ops that resample a spatial map (or change its channels with a 1×1 kernel) without being a feature layer of their own. */
export function isResampleClass(c: OpClass): boolean {
  return c === 'pool' || c === 'interpolate' || c === 'pad' || c === 'convT' || c === 'shuffle';
}

/** Pool kind from the op name (`MaxPool2d` → max, `adaptive_avg_pool2d` → adaptive-avg). */
export function poolKind(op: string): 'max' | 'avg' | 'adaptive-max' | 'adaptive-avg' | 'lp' {
  const base = opBaseName(op);
  const adaptive = base.includes('adaptive');
  if (base.includes('lp')) return 'lp';
  if (base.includes('max')) return adaptive ? 'adaptive-max' : 'max';
  return adaptive ? 'adaptive-avg' : 'avg';
}
