// Renders a run's results: a card per model (outputs, stats, latency, cost), the comparison table, per-layer statistics and fusion heatmaps.
import type { BackendInfo, ModelResult, RunResult, TensorStats } from '../../src/protocol';
import { backendText } from '../../src/core/run/backend';
import { backendStrings, type BackendStrings } from './backendStrings';
import { button } from '../shared/controls';
import { h } from '../shared/dom';
import { compact, ms, num } from '../shared/format';
import type { Strings } from '../shared/strings';
import { heatmapPixels, type Heatmap } from './featureMap';
import type { FeatureMap, LocalRunResult } from './runModels';

const dimsText = (d: readonly number[]): string => `[${d.join(', ')}]`;

function statsCells(s: TensorStats): HTMLElement[] {
  return [s.mean, s.std, s.min, s.max].map((v) => h('td', { class: 'num' }, num(v)));
}

function modelCard(m: ModelResult, s: Strings, bs: BackendStrings): HTMLElement {
  const card = h('div', {
    class: `model${m.ok ? '' : ' failed'}`,
    'data-testid': 'model-result',
    'data-model': m.name,
    'data-ok': String(m.ok),
    'data-backend': m.backend?.kind ?? '',
  });
  card.append(h('h3', {}, m.name, m.ok ? '' : ` — ${s.failed}`));
  card.append(
    h(
      'table',
      {},
      h(
        'tr',
        {},
        h('th', {}, s.params),
        h('td', { class: 'num', 'data-testid': 'params' }, compact(m.params)),
        h('th', {}, s.flops),
        h('td', { class: 'num', 'data-testid': 'flops' }, compact(m.flops)),
      ),
      h(
        'tr',
        {},
        h('th', {}, `${s.latency} (${s.create})`),
        h('td', { class: 'num', 'data-testid': 'create-ms' }, ms(m.createMs)),
        h('th', {}, bs.firstRun),
        h('td', { class: 'num', 'data-testid': 'run-ms' }, ms(m.runMs)),
      ),
      ...(m.backend ? [backendRow(m.backend, bs)] : []),
    ),
  );
  if (m.backend?.fallback) card.append(h('p', { class: 'warn', 'data-testid': 'fallback-reason' }, `${bs.fallbackTo}: ${m.backend.fallback}`));
  if (m.backend?.note) card.append(h('p', { class: 'muted', 'data-testid': 'backend-note' }, m.backend.note));
  if (m.weights !== undefined) card.append(h('div', { class: 'muted', 'data-testid': 'model-weights' }, `${s.weights}: ${m.weights}`));
  if (m.weightChange) card.append(weightChangeTable(m.name, m.weightChange, s));
  if (!m.ok) {
    card.append(h('p', { class: 'error', 'data-testid': 'model-error' }, m.error ?? ''));
    return card;
  }
  const outputs = h(
    'table',
    { 'data-testid': 'output-stats' },
    h('tr', {}, h('th', {}, s.output), h('th', {}, s.shape), h('th', {}, s.mean), h('th', {}, s.std), h('th', {}, s.min), h('th', {}, s.max)),
  );
  for (const o of m.outputs) {
    outputs.append(
      h('tr', { 'data-output': o.name }, h('td', {}, h('code', {}, o.name)), h('td', {}, h('code', {}, dimsText(o.stats.dims))), ...statsCells(o.stats)),
    );
  }
  card.append(outputs);
  for (const o of m.outputs) {
    card.append(
      h(
        'div',
        { class: 'muted mono', 'data-testid': 'output-preview', 'data-values': JSON.stringify(o.preview) },
        `${o.name} ${s.preview}: ${o.preview.map((v) => num(v)).join(', ')}${o.preview.length < o.stats.dims.reduce((a, b) => a * b, 1) ? ', …' : ''}`,
      ),
    );
  }
  return card;
}

/** Per-parameter relative weight change against another checkpoint of the same model, largest first. */
function weightChangeTable(model: string, w: NonNullable<ModelResult['weightChange']>, s: Strings): HTMLElement {
  const sorted = [...w.parameters].sort((a, b) => b.relative - a.relative);
  const table = h('table', { 'data-testid': 'weight-change' }, h('tr', {}, h('th', {}, s.parameter), h('th', {}, '‖b − a‖ / ‖a‖')));
  const max = Math.max(1e-12, ...sorted.map((p) => p.relative));
  for (const p of sorted.slice(0, 15)) {
    const bar = h('span', { class: 'bar' });
    bar.style.width = `${Math.round((60 * p.relative) / max)}px`;
    table.append(h('tr', { 'data-param': p.name }, h('td', {}, h('code', {}, p.name)), h('td', { class: 'num' }, num(p.relative), ' ', bar)));
  }
  // the run app posts `showOnGraph` for this button (one delegated listener on the results)
  const show = button(s.showOnGraph, () => undefined, { testId: 'show-weight-change-on-graph', title: s.showOnGraphTitle });
  show.setAttribute('data-show-on-graph', model);
  const sec = h('div', {}, h('div', { class: 'muted', 'data-testid': 'weight-change-against' }, `${s.weightChange} ${w.against}`, ' ', show), table);
  if (sorted.length > 15) sec.append(h('div', { class: 'muted' }, `… ${sorted.length - 15}`));
  return sec;
}

function compareTable(r: RunResult, s: Strings): HTMLElement {
  const sec = h('section', {}, h('h3', {}, s.compare));
  if (r.comparisons.length === 0) {
    sec.append(h('p', { class: 'muted', 'data-testid': 'compare-none' }, s.sameShapeNone));
    return sec;
  }
  const table = h(
    'table',
    { 'data-testid': 'compare-table' },
    h('tr', {}, h('th', {}, 'A'), h('th', {}, 'B'), h('th', {}, s.output), h('th', {}, s.maxAbsDiff), h('th', {}, s.cosine)),
  );
  for (const c of r.comparisons) {
    table.append(
      h(
        'tr',
        { 'data-a': c.a, 'data-b': c.b },
        h('td', {}, c.a),
        h('td', {}, c.b),
        h('td', { class: 'num' }, String(c.output)),
        h('td', { class: 'num', 'data-testid': 'max-abs-diff' }, num(c.maxAbsDiff)),
        h('td', { class: 'num', 'data-testid': 'cosine' }, num(c.cosine)),
      ),
    );
  }
  sec.append(table);
  return sec;
}

function layerTables(r: RunResult, s: Strings): HTMLElement | null {
  const withLayers = r.models.filter((m) => m.layers.length > 0);
  if (withLayers.length === 0) return null;
  const sec = h('section', { 'data-testid': 'layer-stats' }, h('h3', {}, s.layers));
  for (const m of withLayers) {
    const table = h(
      'table',
      {},
      h('tr', {}, h('th', {}, 'layer'), h('th', {}, s.shape), h('th', {}, s.mean), h('th', {}, s.std), h('th', {}, s.min), h('th', {}, s.max)),
    );
    // a tensor tapped both as a layer output and as a fusion input is listed once, as the layer
    const layerOutputs = new Set(m.layers.filter((l) => l.role === 'layer').map((l) => l.output));
    const rows = m.layers.filter((l) => l.role === 'layer' || !layerOutputs.has(l.output));
    for (const l of rows)
      table.append(
        h(
          'tr',
          { 'data-node': l.node },
          h('td', {}, l.label, l.role === 'layer' ? '' : ` (${s.fusion})`),
          h('td', {}, h('code', {}, dimsText(l.stats.dims))),
          ...statsCells(l.stats),
        ),
      );
    sec.append(h('details', { open: withLayers.length === 1 ? '' : undefined }, h('summary', {}, `${m.name} — ${rows.length}`), table));
  }
  return sec;
}

function heatmapCanvas(m: Heatmap): HTMLCanvasElement {
  const c = h('canvas');
  c.width = m.width;
  c.height = m.height;
  const ctx = c.getContext('2d');
  ctx?.putImageData(new ImageData(heatmapPixels(m) as Uint8ClampedArray<ArrayBuffer>, m.width, m.height), 0, 0);
  return c;
}

function featureMapSection(maps: readonly FeatureMap[], s: Strings): HTMLElement | null {
  if (maps.length === 0) return null;
  const sec = h('section', { 'data-testid': 'feature-maps' }, h('h3', {}, s.featureMaps));
  const groups = new Map<string, FeatureMap[]>();
  for (const f of maps) {
    const key = `${f.model}\u0000${f.fusion}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const list of groups.values()) {
    const row = h('div', { class: 'fusion-row', 'data-testid': 'fusion-maps', 'data-model': list[0]!.model });
    row.append(h('div', { class: 'muted' }, `${list[0]!.model}`));
    const fig = (f: FeatureMap): HTMLElement =>
      h(
        'figure',
        { class: f.role === 'fusion-output' ? 'output' : 'input', title: `|x| mean over channels, range ${num(f.map.min)} … ${num(f.map.max)}` },
        heatmapCanvas(f.map),
        h('figcaption', {}, f.label, h('br'), f.level ? `${f.level} · ` : '', dimsText(f.dims)),
      );
    const inputs = list.filter((f) => f.role === 'fusion-input');
    const outputs = list.filter((f) => f.role === 'fusion-output');
    row.append(...inputs.map(fig));
    if (outputs.length) row.append(h('span', { class: 'arrow' }, '⇒'), ...outputs.map(fig));
    sec.append(row);
  }
  return sec;
}

/** The engine of a model's run and, once Time 5 runs has measured it, its warm median. */
function backendRow(b: BackendInfo, bs: BackendStrings): HTMLElement {
  return h(
    'tr',
    {},
    h('th', {}, bs.backend),
    h('td', { 'data-testid': 'backend', 'data-backend': b.kind, 'data-threads': String(b.threads), title: b.fallback ?? '' }, backendText(b)),
    h('th', {}, bs.warmMedian),
    h('td', { class: 'num', 'data-testid': 'warm-median' }, bs.notTimed),
  );
}

export function resultsView(local: LocalRunResult, s: Strings, bs: BackendStrings = backendStrings('en')): HTMLElement {
  const r = local.result;
  const root = h('div', { 'data-testid': 'run-results', 'data-run-id': String(r.runId) });
  if (r.error) root.append(h('p', { class: 'error', 'data-testid': 'run-error' }, r.error));
  if (r.cancelled) root.append(h('p', { class: 'warn' }, s.cancelled));
  root.append(h('section', {}, h('div', { class: 'models' }, ...r.models.map((m) => modelCard(m, s, bs)))));
  if (r.models.filter((m) => m.ok).length > 1) root.append(compareTable(r, s));
  const layers = layerTables(r, s);
  if (layers) root.append(layers);
  const maps = featureMapSection(local.featureMaps, s);
  if (maps) root.append(maps);
  return root;
}
