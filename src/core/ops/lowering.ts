// The interface an op's ONNX lowering is written against; src/core/onnx implements it.
//
// PLACEHOLDER CONTRACT — the ONNX owner defines the builder; ops/ only import this type.
import type { BoundArgs } from './types';

export interface OnnxLoweringContext {
  readonly attrs: BoundArgs;
}

export type OnnxLowering = (ctx: OnnxLoweringContext) => void;
