// The JSON form of fusion points and summaries (`fusion --json`, the `fusion` field of `shapes --json`); lines are 1-based.
import { formatShapeSymbolic, type Shape } from '../shape/shape';
import { explainComparison, explainFusion, explainSummary, resampleText } from './fusionText';
import { analyzeFusion } from './fusionAnalysis';
import type { ModelGraph } from './modelGraph';
import type { BaselineComparison, FusionAnalysis, FusionInput, FusionPoint, ResampleStep } from './fusionTypes';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function shapeJson(shape: Shape | null): JsonValue {
  return shape ? shape.map((d) => d.value) : null;
}

const line1 = (line: number | null): number | null => (line === null ? null : line + 1);

export function resampleJson(step: ResampleStep): JsonValue {
  const { line, ...rest } = step;
  const out: { [key: string]: JsonValue } = { line: line1(line) };
  for (const [k, v] of Object.entries(rest)) out[k] = v as JsonValue;
  out.text = resampleText(step, 'en');
  return out;
}

function inputJson(inp: FusionInput): JsonValue {
  return {
    ...(inp.var !== null ? { var: inp.var } : {}),
    ...(inp.operandVar !== null ? { operand: inp.operandVar } : {}),
    label: inp.label,
    ...(inp.role !== null ? { role: inp.role } : {}),
    shape: shapeJson(inp.shape),
    shapeSymbolic: inp.shape ? formatShapeSymbolic(inp.shape) : null,
    stride: inp.level.stride ? [...inp.level.stride] : null,
    depth: inp.level.depth,
    channels: inp.level.channels,
    resampling: inp.resampling.map(resampleJson),
    atFusion: { shape: shapeJson(inp.atFusion.shape), stride: inp.atFusion.stride ? [...inp.atFusion.stride] : null },
    branch: { params: inp.branch.params, flops: inp.branch.flops },
    value: inp.value,
  };
}

export function fusionPointJson(p: FusionPoint): JsonValue {
  return {
    line: line1(p.line),
    method: p.method,
    op: p.op,
    node: p.node,
    scope: p.scope,
    inputs: p.inputs.map(inputJson),
    out: {
      ...(p.out.var !== null ? { var: p.out.var } : {}),
      shape: shapeJson(p.out.shape),
      shapeSymbolic: p.out.shape ? formatShapeSymbolic(p.out.shape) : null,
      stride: p.out.level.stride ? [...p.out.level.stride] : null,
      depth: p.out.level.depth,
      channels: p.out.level.channels,
    },
    ...(p.dim !== null ? { dim: p.dim } : {}),
    arithmetic: p.arithmetic,
    ...(p.gate ? { gate: { ...p.gate } } : {}),
    ...(p.weights ? { weights: { ...p.weights } } : {}),
    ...(p.feeds ? { feeds: { node: p.feeds.node, method: p.feeds.method, line: line1(p.feeds.line) } } : {}),
    params: p.params,
    flops: p.flops,
    explanation: { en: explainFusion(p, 'en'), 'zh-cn': explainFusion(p, 'zh-cn') },
  };
}

/** `{ summary, points }` for one model. */
export function fusionAnalysisJson(a: FusionAnalysis): JsonValue {
  const s = a.summary;
  return {
    summary: {
      className: s.className,
      expr: s.expr,
      points: s.points,
      methods: { ...s.methods } as JsonValue,
      levels: s.levels,
      scales: [...s.scales],
      maxInputs: s.maxInputs,
      paramsTotal: s.paramsTotal,
      flopsTotal: s.flopsTotal,
      fusionParams: s.fusionParams,
      fusionFlops: s.fusionFlops,
      text: { en: explainSummary(s, 'en'), 'zh-cn': explainSummary(s, 'zh-cn') },
    },
    points: a.points.map(fusionPointJson),
  };
}

export function comparisonJson(c: BaselineComparison): JsonValue {
  return { ...c, text: { en: explainComparison(c, 'en'), 'zh-cn': explainComparison(c, 'zh-cn') } };
}

/** The `fusion` field of `shapes --json`: the model's fusion points (an analysis failure leaves it empty, never the shapes). */
export function fusionFieldJson(graph: ModelGraph): JsonValue[] {
  try {
    return analyzeFusion(graph).points.map(fusionPointJson);
  } catch {
    return [];
  }
}
