// Splits an analysis into separately serialised slices, so the host rebuilds a large one a slice per task instead of in one long pause.
import { deserialize, serialize } from 'node:v8';
import type { ModelGraph } from '../../core/graph/modelGraph';
import type { EngineAnalysis } from './engineAnalyze';

/** Items per slice: a slice of a 5,000-line model's graph deserialises in a few milliseconds. */
const ITEMS_PER_SLICE = 300;

const FIELDS = ['nodes', 'lines', 'modules', 'stateDict', 'values'] as const;
type Field = (typeof FIELDS)[number];

/** Slice 0 is the analysis with these collections emptied, plus where each slice's items go. */
interface Skeleton {
  readonly analysis: EngineAnalysis;
  readonly plan: readonly { readonly model: number; readonly field: Field }[];
}

function items(g: ModelGraph, f: Field): readonly unknown[] {
  return f === 'values' ? [...g.values] : g[f];
}

export function toSlices(a: EngineAnalysis): Uint8Array[] {
  const plan: Skeleton['plan'][number][] = [];
  const rest: Uint8Array[] = [];
  const models = a.models.map((m, model) => {
    const g = m.graph;
    if (!g) return m;
    for (const field of FIELDS) {
      const all = items(g, field);
      for (let i = 0; i < all.length; i += ITEMS_PER_SLICE) {
        plan.push({ model, field });
        rest.push(serialize(all.slice(i, i + ITEMS_PER_SLICE)));
      }
    }
    return { ...m, graph: { ...g, nodes: [], lines: [], modules: [], stateDict: [], values: new Map() } };
  });
  const skeleton: Skeleton = { analysis: { ...a, models }, plan };
  return [serialize(skeleton), ...rest];
}

/** Rebuilds the analysis; `pause` runs between slices (the host yields to its event loop there). */
export async function fromSlices(slices: readonly Uint8Array[], pause: () => Promise<void>): Promise<EngineAnalysis> {
  const skeleton = deserialize(slices[0]!) as Skeleton;
  if (!Array.isArray(skeleton.plan) || skeleton.plan.length !== slices.length - 1) throw new Error('analysis slices do not match their plan');
  const parts = skeleton.analysis.models.map(() => new Map<Field, unknown[]>());
  for (let i = 0; i < skeleton.plan.length; i++) {
    await pause();
    const { model, field } = skeleton.plan[i]!;
    const got = deserialize(slices[i + 1]!) as unknown;
    const into = parts[model];
    if (!into || !FIELDS.includes(field) || !Array.isArray(got)) throw new Error('malformed analysis slice');
    const list = into.get(field) ?? [];
    for (const x of got) list.push(x);
    into.set(field, list);
  }
  const models = skeleton.analysis.models.map((m, i) => {
    if (!m.graph) return m;
    const p = parts[i]!;
    const graph = {
      ...m.graph,
      nodes: p.get('nodes') ?? [],
      lines: p.get('lines') ?? [],
      modules: p.get('modules') ?? [],
      stateDict: p.get('stateDict') ?? [],
      values: new Map(p.get('values') as [string, never][] | undefined),
    };
    return { ...m, graph } as typeof m;
  });
  return { ...skeleton.analysis, models };
}
