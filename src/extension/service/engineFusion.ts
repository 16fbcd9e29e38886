// Runs the fusion analysis of a graph for the editor: payload records for the graph view, one-liners for hovers.
import { analyzeFusion } from '../../core/graph/fusionAnalysis';
import { fusionEditorSummary, fusionPayload } from '../../core/graph/fusionPayload';
import type { FusionPoint } from '../../core/graph/fusionTypes';
import type { ModelGraph } from '../../core/graph/modelGraph';
import type { PayloadFusion } from '../../protocol';
import type { FusionNote } from './analysisTypes';

export interface EditorFusion {
  readonly points: readonly FusionPoint[];
  readonly payload: PayloadFusion[];
  readonly notes: FusionNote[];
}

/** By graph: a class the analysis cache did not re-analyse keeps its graph object, so its fusion is not redone. */
const byGraph = new WeakMap<ModelGraph, EditorFusion>();

/** Fusion analysis never stops the editor: a failure leaves the model without fusion marks. */
export function fusionAnalysis(g: ModelGraph): EditorFusion {
  const known = byGraph.get(g);
  if (known) return known;
  let result: EditorFusion;
  try {
    const { points } = analyzeFusion(g);
    result = { points, payload: points.map((p) => fusionPayload(g, p)), notes: points.map(fusionEditorSummary) };
  } catch {
    result = { points: [], payload: [], notes: [] };
  }
  byGraph.set(g, result);
  return result;
}
