// Test helper: runs the real interpreter on a Python model file and returns the model graph with its fusion analysis.
import '../../src/core/ops/index';
import { readFileSync } from 'node:fs';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import type { FusionAnalysis } from '../../src/core/graph/fusionTypes';
import type { ModelGraph } from '../../src/core/graph/modelGraph';
import { loadFile, runModel } from '../../src/core/interp/runModel';
import { PythonParser } from '../../src/core/python/pythonParser';
import { dim } from '../../src/core/shape/dim';
import type { DType } from '../../src/core/shape/shape';
import { initTestParser } from './pythonWasm';

export interface PyInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: DType;
}

export const ready = initTestParser();

/** Builds `expr` in `file`'s scope and runs forward on the given inputs; throws when no graph comes out. */
export function analyzePy(file: string, expr: string, inputs: readonly PyInput[], inputKind: 'args' | 'list' | 'dict' = 'args'): { graph: ModelGraph; fusion: FusionAnalysis } {
  const parse = (text: string): ReturnType<PythonParser['parse']>['module'] => {
    const p = new PythonParser();
    try {
      return p.parse(text).module;
    } finally {
      p.dispose();
    }
  };
  const opts = { file, maxSteps: 5_000_000, deadline: performance.now() + 60_000, parse, searchRoots: [], readFile: () => null };
  const { ip, scope } = loadFile(opts, parse(readFileSync(file, 'utf8')), 'model');
  const r = runModel(ip, scope, { expr, inputs: inputs.map((i) => ({ name: i.name, shape: i.shape.map(dim), dtype: i.dtype ?? 'float32' })), inputKind });
  if (!r.graph) throw new Error(`${expr}: no graph (${r.diagnostics.map((d) => d.message).join('; ')})`);
  return { graph: r.graph, fusion: analyzeFusion(r.graph) };
}
