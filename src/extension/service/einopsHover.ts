// Hover on an einops pattern string: each axis with its length at this call (`h=8`) and the shapes in and out.
import type { AttrValue, GraphNode, ModelGraph } from '../../core/graph/modelGraph';
import { dim, type Dim, formatDim, symDim } from '../../core/shape/dim';
import type { Shape } from '../../core/shape/shape';
import { einopsRecipe } from '../../core/ops/einopsPattern';
import { bothShapes } from './shapeText';

/** The string literal around column `col` of `lineText`, or null. */
export function stringAt(lineText: string, col: number): string | null {
  const re = /(['"])((?:\\.|(?!\1).)*)\1/g;
  for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
    if (col >= m.index && col < m.index + m[0].length) return m[2]!;
  }
  return null;
}

/** einops' operation for a graph node of the einops family, or null for other nodes. */
function operationOf(n: GraphNode): string | null {
  switch (n.op) {
    case 'einops.rearrange':
    case 'nn.Rearrange':
      return 'rearrange';
    case 'einops.repeat':
      return 'repeat';
    case 'einops.reduce':
    case 'nn.Reduce': {
      const r = n.args.reduction ?? n.attrs.reduction;
      return typeof r === 'string' ? r : 'callable';
    }
    default:
      return null;
  }
}

function lengthsOf(v: AttrValue | undefined): [string, Dim][] {
  if (!v || typeof v !== 'object' || Array.isArray(v) || 'tensor' in v || 'symbolic' in v) return [];
  const out: [string, Dim][] = [];
  for (const [k, x] of Object.entries(v as Record<string, AttrValue>)) {
    if (typeof x === 'number') out.push([k, dim(x)]);
    else if (x && typeof x === 'object' && 'symbolic' in x) out.push([k, symDim(String(x.symbolic), typeof x.value === 'number' ? x.value : null)]);
  }
  return out;
}

/** The node's input as einops sees it (a list input is stacked on a new first axis). */
function inputShape(g: ModelGraph, n: GraphNode): Shape | null {
  const t = n.args.tensor ?? n.args.input;
  if (Array.isArray(t)) {
    const first = t[0] && typeof t[0] === 'object' && 'tensor' in (t[0] as object) ? g.values.get((t[0] as { tensor: string }).tensor)?.shape : null;
    return first ? [dim(t.length), ...first] : null;
  }
  if (t && typeof t === 'object' && 'tensor' in t) return g.values.get((t as { tensor: string }).tensor)?.shape ?? null;
  return null;
}

const lengthText = (d: Dim): string => (d.expr ? `${formatDim(d)} (${d.value ?? '?'})` : String(d.value ?? '?'));

/** Markdown for a hover on an einops pattern string, or null when the cursor is not on one the analysis ran. */
export function einopsPatternHover(g: ModelGraph, lineText: string, line: number, col: number): string | null {
  const text = stringAt(lineText, col);
  if (text === null || !text.includes('->')) return null;
  // Function calls: the node made at this position; layers: every call of a layer built with this pattern.
  const here = g.nodes.filter((n) => n.range && n.range.startLine <= line && n.range.endLine >= line && operationOf(n) && n.args.pattern === text);
  const layers = g.nodes.filter((n) => n.modulePath !== null && operationOf(n) && n.attrs.pattern === text);
  const nodes = here.length ? here : layers;
  if (!nodes.length) return null;
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const n of nodes) {
    const shape = inputShape(g, n);
    if (!shape) continue;
    let recipe;
    try {
      recipe = einopsRecipe(text, operationOf(n)!, shape, lengthsOf(n.args.axes_lengths ?? n.attrs.axes_lengths));
    } catch {
      continue;
    }
    const axes = [...recipe.named].map(([k, d]) => `${k}=${lengthText(d)}`).join(' · ');
    const row = `${axes}  \n\`${bothShapes(shape)}\` → \`${bothShapes(recipe.output)}\``;
    if (seen.has(row)) continue;
    seen.add(row);
    rows.push(n.modulePath ? `\`${n.modulePath}\`: ${row}` : row);
  }
  if (!rows.length) return null;
  return [`**einops ${operationOf(nodes[0]!)}** \`${text}\``, ...rows.slice(0, 6)].join('  \n');
}
