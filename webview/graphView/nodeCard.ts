// The side card for a selected node or group: op, module, shapes (symbolic and concrete), cost, and for fusion points the method, levels, inputs and explanation.
import type { GraphPayload, PayloadFusion, PayloadNode } from '../../src/protocol';
import type { VisibleItem } from '../../src/core/graph/layout/visibleGraph';
import { button } from '../shared/controls';
import { h, propertyTable } from '../shared/dom';
import { compact } from '../shared/format';
import type { Strings } from '../shared/strings';

export interface CardActions {
  readonly goToSource: (node: PayloadNode) => void;
  readonly expand: (scope: string) => void;
  readonly close: () => void;
}

export function nodeCard(payload: GraphPayload, item: VisibleItem, s: Strings, lang: 'en' | 'zh-cn', actions: CardActions): HTMLElement {
  const card = h('div', { class: 'card', 'data-testid': 'node-card', role: 'dialog' });
  const close = h('button', { class: 'close', title: s.cancel, 'aria-label': s.cancel }, '×');
  close.addEventListener('click', actions.close);
  card.append(close);
  if (item.kind === 'group') {
    const info = payload.scopes.find((sc) => sc.path === item.scope);
    card.append(h('h3', {}, `${s.group}: ${item.scope}`), propertyTable([[s.module, info?.type ?? ''], [s.nodes, String(info?.nodeCount ?? 0)]]));
    card.append(h('div', { class: 'actions' }, button(s.expand, () => actions.expand(item.scope), { appearance: 'primary', testId: 'card-expand' })));
    return card;
  }
  const node = payload.nodes[item.node]!;
  const outputs = h('div', {}, ...node.outputs.map((o) => h('div', {}, h('code', {}, o.symbolic), ' · ', h('code', {}, o.concrete))));
  const labelOf = new Map(payload.nodes.map((n) => [n.id, n.label]));
  const incoming = payload.edges.filter((e) => e.target === node.id);
  const inputs = h('div', {}, ...incoming.map((e) => h('div', {}, `${labelOf.get(e.source) ?? e.source}: `, e.shape ? h('code', { title: e.shape.symbolic }, e.shape.concrete) : '?')));
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
  if (node.fusion !== null) {
    const f = payload.fusions[node.fusion];
    if (f) card.append(fusionSection(f, s, lang));
  }
  if (node.line !== null && node.file) card.append(h('div', { class: 'actions' }, button(s.goToSource, () => actions.goToSource(node), { appearance: 'primary', testId: 'card-go-to-source' })));
  return card;
}

function fusionSection(f: PayloadFusion, s: Strings, lang: 'en' | 'zh-cn'): HTMLElement {
  const inputs = h('table', { 'data-testid': 'fusion-inputs' },
    h('tr', {}, h('th', {}, '#'), h('th', {}, s.depth), h('th', {}, s.stride), h('th', {}, s.channels), h('th', {}, s.shape), h('th', {}, s.resampling)),
    ...f.inputs.map((inp, i) =>
      h('tr', {},
        h('td', {}, String(i + 1)),
        h('td', {}, inp.depth === null ? '?' : String(inp.depth)),
        h('td', {}, inp.stride === null ? '?' : `/${inp.stride}`),
        h('td', {}, inp.channels === null ? '?' : String(inp.channels)),
        h('td', {}, inp.shape ? h('code', { title: inp.shape.symbolic }, inp.shape.concrete) : '?'),
        h('td', {}, inp.resampling.join(', ') || '—'),
      ),
    ),
  );
  return h('div', { 'data-testid': 'fusion-card' },
    h('h3', {}, `${s.fusion}: `, h('span', { class: 'fusion-method' }, f.method), ` · ${f.levels}`),
    propertyTable([[s.output, f.output ? h('code', { title: f.output.symbolic }, f.output.concrete) : ''], [s.params, f.params ? compact(f.params) : ''], [s.flops, f.flops ? compact(f.flops) : '']]),
    h('div', {}, h('strong', {}, s.inputs)),
    h('div', { class: 'scroll-x' }, inputs),
    h('p', { 'data-testid': 'fusion-explanation' }, f.explanation[lang] || f.explanation.en),
  );
}
