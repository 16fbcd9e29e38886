// What each op is for the analyses that read a ModelGraph (fusion points, depth counting, resampling, diagnostics):
// its role, derived here once from the registry key or the ONNX op type, so no other folder matches op names.

/** The kinds of op the fusion analysis and depth counting tell apart. */
export type OpKind =
  | 'concat'
  | 'stack'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'sum'
  | 'matmul'
  | 'softmax'
  | 'sigmoid'
  | 'mha'
  | 'sdpa'
  | 'conv'
  | 'convT'
  | 'linear'
  | 'embedding'
  | 'weighted'
  | 'norm'
  | 'pool'
  | 'interpolate'
  | 'pad'
  | 'shuffle'
  | 'layout'
  | 'dropout'
  | 'reduce'
  | 'other';

/** An op's role: its kind, and what the analyses need beyond it. */
export interface OpRole {
  readonly kind: OpKind;
  /**
   * pool: `max` | `avg` | `adaptive-max` | `adaptive-avg` | `lp`; interpolate: `bilinear` when the op fixes that mode;
   * reduce: the reduction's name; ops that move axes: `permute` | `transpose` | `swapaxes` | `unsqueeze` | `squeeze`;
   * `gather` (ONNX Gather: an exported embedding when it reads a weight table); other: `shape` (reads only a shape).
   */
  readonly detail?: string;
  /** The number of spatial axes when the op fixes it (`Conv1d`, `max_pool1d` → 1). */
  readonly rank?: 1 | 2 | 3;
}

/** Python operator names as the interpreter spells them after `op.` (in-place and reflected forms included). */
const OPERATORS: Record<string, OpKind> = {
  add: 'add',
  iadd: 'add',
  radd: 'add',
  sub: 'sub',
  isub: 'sub',
  rsub: 'sub',
  mul: 'mul',
  imul: 'mul',
  rmul: 'mul',
  truediv: 'div',
  itruediv: 'div',
  rtruediv: 'div',
  div: 'div',
  matmul: 'matmul',
  imatmul: 'matmul',
  rmatmul: 'matmul',
  getitem: 'layout',
};

const NAMES: Record<string, OpKind> = {
  cat: 'concat',
  concat: 'concat',
  concatenate: 'concat',
  stack: 'stack',
  add: 'add',
  sub: 'sub',
  subtract: 'sub',
  rsub: 'sub',
  mul: 'mul',
  multiply: 'mul',
  div: 'div',
  divide: 'div',
  true_divide: 'div',
  sum: 'sum',
  matmul: 'matmul',
  bmm: 'matmul',
  mm: 'matmul',
  softmax: 'softmax',
  sigmoid: 'sigmoid',
  hardsigmoid: 'sigmoid',
  expit: 'sigmoid',
  multiheadattention: 'mha',
  multi_head_attention_forward: 'mha',
  scaled_dot_product_attention: 'sdpa',
  linear: 'linear',
  nondynamicallyquantizablelinear: 'linear',
  embedding: 'embedding',
  bilinear: 'weighted',
  lstm: 'weighted',
  gru: 'weighted',
  rnn: 'weighted',
  interpolate: 'interpolate',
  upsample: 'interpolate',
  upsample_nearest: 'interpolate',
  upsample_bilinear: 'interpolate',
  upsamplingnearest2d: 'interpolate',
  upsamplingbilinear2d: 'interpolate',
  pad: 'pad',
  pixelshuffle: 'shuffle',
  pixel_shuffle: 'shuffle',
  pixelunshuffle: 'shuffle',
  pixel_unshuffle: 'shuffle',
  view: 'layout',
  reshape: 'layout',
  flatten: 'layout',
  unflatten: 'layout',
  transpose: 'layout',
  permute: 'layout',
  unsqueeze: 'layout',
  squeeze: 'layout',
  expand: 'layout',
  expand_as: 'layout',
  repeat: 'layout',
  contiguous: 'layout',
  t: 'layout',
  movedim: 'layout',
  view_as: 'layout',
  reshape_as: 'layout',
  clone: 'layout',
  to: 'layout',
  float: 'layout',
  type_as: 'layout',
  detach: 'layout',
  getitem: 'layout',
  narrow: 'layout',
  select: 'layout',
  dropout: 'dropout',
  dropout2d: 'dropout',
  dropout1d: 'dropout',
  dropout3d: 'dropout',
  alphadropout: 'dropout',
  identity: 'dropout',
  featurealphadropout: 'dropout',
  alpha_dropout: 'dropout',
  feature_alpha_dropout: 'dropout',
  mean: 'reduce',
  amax: 'reduce',
  amin: 'reduce',
  max: 'reduce',
  min: 'reduce',
  logsumexp: 'reduce',
};

/** ONNX op types (decoded `.onnx` graphs name nodes `onnx.<OpType>`), lower-cased. */
const ONNX: Record<string, OpKind> = {
  concat: 'concat',
  add: 'add',
  sub: 'sub',
  mul: 'mul',
  div: 'div',
  sum: 'add',
  matmul: 'matmul',
  softmax: 'softmax',
  sigmoid: 'sigmoid',
  hardsigmoid: 'sigmoid',
  conv: 'conv',
  convtranspose: 'convT',
  gemm: 'linear',
  gather: 'layout',
  maxpool: 'pool',
  averagepool: 'pool',
  globalaveragepool: 'pool',
  globalmaxpool: 'pool',
  lppool: 'pool',
  resize: 'interpolate',
  upsample: 'interpolate',
  pad: 'pad',
  depthtospace: 'shuffle',
  spacetodepth: 'shuffle',
  reshape: 'layout',
  flatten: 'layout',
  transpose: 'layout',
  unsqueeze: 'layout',
  squeeze: 'layout',
  expand: 'layout',
  identity: 'dropout',
  dropout: 'dropout',
  cast: 'layout',
  slice: 'layout',
  reducemean: 'reduce',
  reducemax: 'reduce',
  reducesum: 'sum',
  batchnormalization: 'norm',
  layernormalization: 'norm',
  instancenormalization: 'norm',
  groupnormalization: 'norm',
  lstm: 'weighted',
  gru: 'weighted',
  rnn: 'weighted',
};

/** Layout ops whose axis movement the level analysis follows. */
const AXIS_MOVES = new Set(['permute', 'transpose', 'swapaxes', 'unsqueeze', 'squeeze']);

/** `nn.Conv2d` → `conv2d`, `op.iadd` → `iadd`, `Tensor.add_` → `add`. */
function baseName(key: string): string {
  const dot = key.lastIndexOf('.');
  let name = (dot < 0 ? key : key.slice(dot + 1)).toLowerCase();
  if (name.startsWith('__') && name.endsWith('__')) name = name.slice(2, -2);
  if (name.endsWith('_') && name.length > 1) name = name.slice(0, -1);
  return name;
}

/** The kind of a torch-side registry key (`nn.Conv2d`, `F.interpolate`, `torch.cat`, `Tensor.add_`, `op.iadd`) of a family. */
function torchKind(key: string, family: string): OpKind {
  const base = baseName(key);
  // Normalisation is a family, not a spelling: `torch.norm` (a reduction) and `Tensor.normal_` (sampling) are not norms.
  if (family === 'norm') return 'norm';
  if (key.startsWith('op.')) return OPERATORS[base] ?? 'other';
  const named = NAMES[base];
  if (named) return named;
  if (/^conv_?transpose\d?d?$/.test(base) || /^convtranspose\dd$/.test(base)) return 'convT';
  if (/^conv\dd$/.test(base)) return 'conv';
  if (/^(adaptive_?)?(max|avg|lp)_?pool\dd$/.test(base) || /^fractionalmaxpool/.test(base)) return 'pool';
  if (/^(zero|constant|reflection|replication|circular)pad\dd$/.test(base)) return 'pad';
  if (/^(rnn|lstm|gru)(cell)?$/.test(base)) return 'weighted';
  return 'other';
}

/** Pool kind from the op name (`MaxPool2d` → max, `adaptive_avg_pool2d` → adaptive-avg). */
function poolKind(key: string): string {
  const base = baseName(key);
  const adaptive = base.includes('adaptive');
  if (base.includes('lp')) return 'lp';
  if (base.includes('max')) return adaptive ? 'adaptive-max' : 'max';
  return adaptive ? 'adaptive-avg' : 'avg';
}

function withDetail(key: string, kind: OpKind, shapeQuery: boolean): OpRole {
  const base = baseName(key);
  const rankMatch = /([123])d$/.exec(base);
  const rank = rankMatch ? (Number(rankMatch[1]) as 1 | 2 | 3) : undefined;
  let detail: string | undefined;
  if (kind === 'pool') detail = poolKind(key);
  else if (kind === 'interpolate' && /bilinear/i.test(key)) detail = 'bilinear';
  else if (kind === 'reduce') detail = key.slice(key.lastIndexOf('.') + 1).replace(/_$/, '');
  else if (AXIS_MOVES.has(base)) detail = base;
  else if (shapeQuery) detail = 'shape';
  return { kind, ...(detail !== undefined ? { detail } : {}), ...(rank !== undefined ? { rank } : {}) };
}

/** The role of a registry entry that does not declare its own, from its key and family (the registry stamps it). */
export function defaultRole(key: string, family: string): OpRole {
  return withDetail(key, torchKind(key, family), key === 'Tensor.size');
}

/** The role of an ONNX node (`Conv`, `Gather`, `ReduceMean`) in a decoded graph. */
export function onnxRole(opType: string): OpRole {
  const key = `onnx.${opType}`;
  const kind = ONNX[opType.toLowerCase()] ?? 'other';
  if (opType === 'Gather') return { kind, detail: 'gather' };
  return withDetail(key, kind, opType === 'Shape' || opType === 'Size');
}

/** Stable diagnostic codes of shape errors by what the op is (an entry's `errorCode` hook overrides it). */
export function errorCodeOf(op: string, message = ''): string {
  if (/(^|\.)(cat|stack|concat|concatenate|hstack|vstack)$/.test(op)) return 'cat-mismatch';
  if (/Conv/i.test(op) || /conv\d?d$/.test(op)) return /channel/i.test(message) ? 'conv-channels' : 'shape-error';
  if (/Linear$|\.linear$/.test(op)) return 'linear-in-features';
  if (/\.(view|reshape|flatten|unflatten|view_as|reshape_as)$/.test(op)) return 'view-mismatch';
  if (op.startsWith('op.') || /\.(add|sub|mul|div|where|maximum|minimum)$/.test(op)) return 'broadcast';
  return 'shape-error';
}
