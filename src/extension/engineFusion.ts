// Runs the fusion analysis of a graph for the editor: payload records for the graph view, one-liners for hovers.
import { analyzeFusion } from '../core/graph/fusionAnalysis';
import { fusionEditorSummary, fusionPayload } from '../core/graph/fusionPayload';
import type { FusionPoint } from '../core/graph/fusionTypes';
import type { ModelGraph } from '../core/graph/modelGraph';
import type { PayloadFusion } from '../protocol';
import type { FusionNote } from './analysisTypes';

export interface EditorFusion {
  readonly points: readonly FusionPoint[];
  readonly payload: PayloadFusion[];
  readonly notes: FusionNote[];
}

/** Fusion analysis never stops the editor: a failure leaves the model without fusion marks. */
export function fusionAnalysis(g: ModelGraph): EditorFusion {
  try {
    const { points } = analyzeFusion(g);
    return { points, payload: points.map((p) => fusionPayload(g, p)), notes: points.map(fusionEditorSummary) };
  } catch {
    return { points: [], payload: [], notes: [] };
  }
}
