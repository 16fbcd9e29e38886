// Test helper: runs the real interpreter on a Python model file and returns the model graph with its fusion analysis.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import type { FusionAnalysis } from '../../src/core/graph/fusionTypes';
import type { ModelGraph } from '../../src/core/graph/modelGraph';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import type { DType } from '../../src/core/shape/shape';
import { initTestParser } from './pythonWasm';

export interface PyInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: DType;
}

export const ready = initTestParser();

/** Builds `expr` in `file`'s scope and runs forward on the given inputs; throws when no graph comes out. */
export function analyzePy(
  file: string,
  expr: string,
  inputs: readonly PyInput[],
  inputKind: 'args' | 'list' | 'dict' = 'args',
): { graph: ModelGraph; fusion: FusionAnalysis } {
  const fa = analyzeSource({
    text: readFileSync(file, 'utf8'),
    file,
    // Package-relative imports (torchvision's `from ..ops.misc import …`) read sibling files.
    readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
    searchRoots: [dirname(file)],
    budget: { maxSteps: 5_000_000, timeMs: 60_000 },
    models: [{ expr, inputs: inputs.map((i) => ({ name: i.name, dims: [...i.shape], dtype: i.dtype ?? 'float32' })), inputKind }],
  });
  const m = fa.models[0];
  if (!m?.graph) throw new Error(`${expr}: no graph (${(m?.diagnostics ?? fa.diagnostics).map((d) => d.message).join('; ')})`);
  return { graph: m.graph, fusion: analyzeFusion(m.graph) };
}
