// Dropout family (identity at inference, shape-preserving always): nn.Dropout*, F.dropout*, and nn.Identity.
import { floatArg, tensorArg } from './args';
import { registerOps } from './registry';
import { opt, req, star, starstar, vBool, vFloat } from './sig';
import { FunctionOpDef, ModuleOpDef, OpDef, ShapeError } from './types';
import { identity, optBool, optNumber } from './lowerCommon';

const DROPOUTS = ['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'];

function dropoutModule(type: string): ModuleOpDef {
  return {
    kind: 'module',
    type,
    family: 'dropout',
    ctor: [opt('p', vFloat(0.5)), opt('inplace', vBool(false))],
    forward: [req('input')],
    validate(attrs) {
      const p = floatArg(attrs, 'p', type);
      if (p < 0 || p > 1) throw new ShapeError(`${type}: dropout probability has to be between 0 and 1, but got ${p}`);
    },
    tensors: () => [],
    infer(_attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: () => 0,
    // Modules are exported in eval mode, where dropout passes its input through.
    onnx: identity,
  };
}

function dropoutFunction(fn: string): FunctionOpDef {
  const name = `F.${fn}`;
  return {
    kind: 'function',
    name,
    aliases: [`torch.nn.functional.${fn}`],
    family: 'dropout',
    signature: [req('input'), opt('p', vFloat(0.5)), opt('training', vBool(!fn.includes('alpha'))), opt('inplace', vBool(false))],
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      const p = floatArg(args, 'p', name);
      if (p < 0 || p > 1) throw new ShapeError(`${name}: dropout probability has to be between 0 and 1, but got ${p}`);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: () => 0,
    onnx: (c) => {
      if (optBool(c, 'training', false) && optNumber(c, 'p', 0.5) > 0)
        c.fail('dropout with training=True is random; pass training=self.training to export in eval mode');
      identity(c);
    },
  };
}

const identityModule: ModuleOpDef = {
  kind: 'module',
  type: 'Identity',
  family: 'dropout',
  // Identity accepts and ignores any constructor arguments.
  ctor: [star('args'), starstar('kwargs')],
  forward: [req('input')],
  tensors: () => [],
  infer(_attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'Identity');
    return ctx.tensor(x.shape, x.dtype);
  },
  flops: () => 0,
  onnx: identity,
};

const defs: OpDef[] = [
  ...DROPOUTS.map(dropoutModule),
  ...['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout'].map(dropoutFunction),
  identityModule,
];
registerOps(defs);
