// The side card for a selected node or group: op, module, shapes (symbolic and concrete), cost, and for fusion points the method, levels, inputs and explanation.
import type { GraphPayload, PayloadFusion, PayloadNode, WeightOverlay } from '../../src/protocol';
import { repeatedBlocks } from '../../src/core/graph/layout/repeatedBlocks';
import type { VisibleItem } from '../../src/core/graph/layout/visibleGraph';
import { button } from '../shared/controls';
import { h, propertyTable } from '../shared/dom';
import { compact } from '../shared/format';
import type { Strings } from '../shared/strings';
import { weightsSection } from './overlayLegend';

export interface CardActions {
  readonly goToSource: (node: PayloadNode) => void;
  readonly expand: (group: VisibleItem) => void;
  readonly close: () => void;
}

export function nodeCard(
  payload: GraphPayload,
  item: VisibleItem,
  s: Strings,
  lang: 'en' | 'zh-cn',
  overlay: WeightOverlay | null,
  actions: CardActions,
): HTMLElement {
  const card = h('div', { class: 'card', 'data-testid': 'node-card', role: 'dialog' });
  const close = h('button', { class: 'close', title: s.cancel, 'aria-label': s.cancel }, '×');
  close.addEventListener('click', actions.close);
  card.append(close);
  if (item.kind === 'group') {
    const run = repeatedBlocks(payload).byKey.get(item.scope);
    if (run) {
      // a folded run of repeated blocks: what the blocks are, how many, where they sit, the shapes in and out
      const span = `${run.scopes[0]} … ${run.scopes[run.scopes.length - 1]}`;
      card.append(
        h('h3', {}, run.label),
        propertyTable([
          [s.module, run.type],
          [s.scope, h('code', {}, span)],
          [s.nodes, `${run.nodeCount} (${run.nodeCount / run.scopes.length} × ${run.scopes.length})`],
          [s.inputs, run.shapeIn ? h('code', {}, run.shapeIn) : ''],
          [s.output, run.shapeOut ? h('code', {}, run.shapeOut) : ''],
          [s.fusion, run.fusionCount ? `${run.fusionCount / run.scopes.length} × ${run.scopes.length}` : ''],
        ]),
      );
    } else {
      const info = payload.scopes.find((sc) => sc.path === item.scope);
      card.append(
        h('h3', {}, `${s.group}: ${item.scope}`),
        propertyTable([
          [s.module, info?.type ?? ''],
          [s.nodes, String(info?.nodeCount ?? 0)],
        ]),
      );
    }
    card.append(
      h(
        'div',
        { class: 'actions' },
        button(s.expand, () => actions.expand(item), { appearance: 'primary', testId: 'card-expand' }),
      ),
    );
    return card;
  }
  const node = payload.nodes[item.node]!;
  const outputs = h('div', {}, ...node.outputs.map((o) => h('div', {}, h('code', {}, o.symbolic), ' · ', h('code', {}, o.concrete))));
  const labelOf = new Map(payload.nodes.map((n) => [n.id, n.label]));
  const incoming = payload.edges.filter((e) => e.target === node.id);
  const inputs = h(
    'div',
    {},
    ...incoming.map((e) => h('div', {}, `${labelOf.get(e.source) ?? e.source}: `, e.shape ? h('code', { title: e.shape.symbolic }, e.shape.concrete) : '?')),
  );
  card.append(
    h('h3', {}, node.label),
    propertyTable([
      [s.op, h('code', {}, node.op)],
      [s.module, node.modulePath ? h('code', {}, node.modulePath) : ''],
      [s.scope, node.scope ? h('code', {}, node.scope) : ''],
      [s.inputs, incoming.length ? inputs : ''],
      [s.output, outputs],
      [s.attributes, node.detail ? h('code', {}, node.detail) : ''],
      [s.params, node.params ? compact(node.params) : ''],
      [s.flops, node.flops ? compact(node.flops) : ''],
      [s.line, node.line !== null ? String(node.line + 1) : ''],
    ]),
  );
  const weights = overlay?.nodes.find((n) => n.node === node.id);
  if (overlay && weights) card.append(weightsSection(overlay, weights, s));
  if (node.fusion !== null) {
    const f = payload.fusions[node.fusion];
    if (f) card.append(fusionSection(f, s, lang));
  }
  if (node.line !== null && node.file)
    card.append(
      h(
        'div',
        { class: 'actions' },
        button(s.goToSource, () => actions.goToSource(node), { appearance: 'primary', testId: 'card-go-to-source' }),
      ),
    );
  return card;
}

function fusionSection(f: PayloadFusion, s: Strings, lang: 'en' | 'zh-cn'): HTMLElement {
  // One group of rows per level, in operand order (no row number: the depth names the level). The numbers sit in narrow
  // columns, the shape stays on one line, and the resampling steps go on a line of their own under the shape, where they
  // can wrap between words: a sixth column does not fit a card of about 300px.
  const num = (v: number | null, text: (n: number) => string): HTMLTableCellElement => h('td', { class: 'num' }, v === null ? '?' : text(v));
  const inputs = h(
    'table',
    { class: 'fusion-inputs', 'data-testid': 'fusion-inputs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { class: 'num', scope: 'col' }, s.depth),
        h('th', { class: 'num', scope: 'col' }, s.stride),
        h('th', { class: 'num', scope: 'col' }, h('abbr', { title: s.channels }, s.channelsShort)),
        h('th', { scope: 'col' }, s.shape),
      ),
      h('tr', { class: 'resampling' }, h('td', { colspan: '3' }), h('th', { scope: 'col' }, s.resampling)),
    ),
    ...f.inputs.map((inp) =>
      h(
        'tbody',
        {},
        h(
          'tr',
          {},
          num(inp.depth, String),
          num(inp.stride, (n) => `/${n}`),
          num(inp.channels, String),
          h('td', {}, inp.shape ? h('code', { title: inp.shape.symbolic }, inp.shape.concrete) : '?'),
        ),
        inp.resampling.length > 0 &&
          h(
            'tr',
            { class: 'resampling' },
            h('td', { colspan: '3' }),
            h('td', { title: s.resampling }, ...inp.resampling.map((r) => h('div', {}, r[lang] || r.en))),
          ),
      ),
    ),
  );
  return h(
    'div',
    { 'data-testid': 'fusion-card' },
    h('h3', {}, `${s.fusion}: `, h('span', { class: 'fusion-method' }, f.method), ` · ${f.levels}`),
    propertyTable([
      [s.output, f.output ? h('code', { title: f.output.symbolic }, f.output.concrete) : ''],
      [s.params, f.params ? compact(f.params) : ''],
      [s.flops, f.flops ? compact(f.flops) : ''],
    ]),
    h('div', {}, h('strong', {}, s.inputs)),
    h('div', { class: 'scroll-x' }, inputs),
    h('p', { 'data-testid': 'fusion-explanation' }, f.explanation[lang] || f.explanation.en),
  );
}
