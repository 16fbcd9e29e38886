// Embedding lookups: nn.Embedding and F.embedding (indices [*] → [*, embedding_dim]).
import { dim } from '../shape/dim';
import { Shape } from '../shape/shape';
import { boolArg, isNone, numArg, optNumArg, tensorArg } from './args';
import { tokenInput } from './impliedInput';
import { registerOps } from './registry';
import { factoryKwargs, opt, req, vBool, vFloat, vNone } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, ModuleOpDef, ShapeError } from './types';
import { TensorValue } from './values';
import { embeddingLowering } from './lowerLinear';
import { paramDtype, withParamDtype } from './paramDtype';

function checkIndices(op: string, x: TensorValue): void {
  if (x.dtype !== 'int64' && x.dtype !== 'int32') {
    throw new ShapeError(`${op} expects integer indices (int64 or int32), but got a ${x.dtype} tensor ${showShape(x.shape)}`);
  }
}

function lookupShape(x: TensorValue, embeddingDim: number): Shape | null {
  return x.shape ? [...x.shape, dim(embeddingDim)] : null;
}

const embedding: ModuleOpDef = {
  kind: 'module',
  type: 'Embedding',
  family: 'embedding',
  impliedInput: tokenInput,
  ctor: [
    req('num_embeddings'),
    req('embedding_dim'),
    opt('padding_idx', vNone),
    opt('max_norm', vNone),
    opt('norm_type', vFloat(2)),
    opt('scale_grad_by_freq', vBool(false)),
    opt('sparse', vBool(false)),
    opt('_weight', vNone),
    ...factoryKwargs,
  ],
  forward: [req('input')],
  validate(attrs) {
    const n = numArg(attrs, 'num_embeddings', 'Embedding');
    const p = optNumArg(attrs, 'padding_idx', 'Embedding');
    if (p !== null && (p >= n || p < -n)) throw new ShapeError(`Embedding: padding_idx must be within num_embeddings (got ${p} for ${n} embeddings)`);
    boolArg(attrs, 'sparse', 'Embedding'); // a non-bool flag is a constructor error
  },
  tensors(attrs) {
    const n = numArg(attrs, 'num_embeddings', 'Embedding');
    const p = optNumArg(attrs, 'padding_idx', 'Embedding');
    const zeroRow = p === null ? undefined : p < 0 ? p + n : p;
    // reset_parameters: normal_(0, 1), then the padding_idx row is zeroed.
    return withParamDtype(
      [
        {
          name: 'weight',
          shape: [n, numArg(attrs, 'embedding_dim', 'Embedding')],
          dtype: 'float32',
          role: 'param',
          init: zeroRow === undefined ? { kind: 'normal', std: 1 } : { kind: 'normal', std: 1, zeroRow },
        },
      ],
      attrs,
      'Embedding',
    );
  },
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'Embedding');
    checkIndices('Embedding', x);
    return ctx.tensor(lookupShape(x, numArg(attrs, 'embedding_dim', 'Embedding')), paramDtype(attrs, 'Embedding'));
  },
  // A gather: no arithmetic.
  flops: () => 0,
  onnx: embeddingLowering,
};

const embeddingFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.embedding',
  aliases: ['torch.nn.functional.embedding'],
  family: 'embedding',
  signature: [
    req('input'),
    req('weight'),
    opt('padding_idx', vNone),
    opt('max_norm', vNone),
    opt('norm_type', vFloat(2)),
    opt('scale_grad_by_freq', vBool(false)),
    opt('sparse', vBool(false)),
  ],
  infer(args, ctx) {
    const x = tensorArg(args, 'input', 'F.embedding');
    const w = tensorArg(args, 'weight', 'F.embedding');
    checkIndices('F.embedding', x);
    if (!isNone(args.padding_idx)) numArg(args, 'padding_idx', 'F.embedding');
    if (!w.shape || !x.shape) return ctx.tensor(null, w.dtype);
    if (w.shape.length !== 2) throw new ShapeError(`F.embedding: weight must be 2-D, got ${showShape(w.shape)}`);
    return ctx.tensor([...x.shape, w.shape[1]], w.dtype);
  },
  onnx: embeddingLowering,
};

registerOps([embedding, embeddingFn]);
