// Fusion points in the graph view's payload form (PayloadFusion of src/protocol.ts), and the editor's one-line form.
import type { PayloadFusion } from './graphPayloadTypes';
import { payloadShape } from './graphPayload';
import type { ModelGraph } from './modelGraph';
import { explainFusion, fusionOneLine, resampleText } from './fusionText';
import { strideText } from './fusionSummary';
import type { FusionPoint } from './fusionTypes';

export function fusionPayload(graph: ModelGraph, p: FusionPoint): PayloadFusion {
  const levels = p.inputs.map((i) => {
    const s = strideText(i.level.stride);
    return s !== null ? `/${s}` : `L${i.level.depth}`;
  });
  return {
    node: p.node,
    method: p.method,
    inputs: p.inputs.map((i) => {
      const v = graph.values.get(i.value);
      return {
        node: v?.source === 'node' ? v.producer : null,
        value: i.value,
        depth: i.level.depth,
        stride: i.level.stride?.[0] ?? null,
        channels: i.level.channels,
        shape: payloadShape(i.shape),
        resampling: i.resampling.map((st) => ({ en: resampleText(st, 'en'), 'zh-cn': resampleText(st, 'zh-cn') })),
      };
    }),
    output: payloadShape(p.out.shape),
    levels: levels.join(' '),
    explanation: { en: explainFusion(p, 'en'), 'zh-cn': explainFusion(p, 'zh-cn') },
    params: p.params,
    flops: p.flops,
  };
}

/** What the editor surfaces print (src/extension/service/analysisTypes.ts FusionSummary). */
export function fusionEditorSummary(p: FusionPoint): { nodeId: string; method: string; line: number | null; text: string; textZh: string } {
  return { nodeId: p.node, method: p.method, line: p.line, text: fusionOneLine(p, 'en'), textZh: fusionOneLine(p, 'zh-cn') };
}
