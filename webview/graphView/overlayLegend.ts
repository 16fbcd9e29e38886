// The weights overlay's legend (what the heat colours mean, what is not on the graph) and the node card's weights section.
import type { OverlayNode, WeightOverlay } from '../../src/protocol';
import { button } from '../shared/controls';
import { h, propertyTable } from '../shared/dom';
import { num } from '../shared/format';
import type { Strings } from '../shared/strings';
import { changeText, heatColor } from './scene';

/** Bottom-left box: title, the colour scale from 0 to the largest layer change, counts, and a Hide button. */
export function overlayLegend(o: WeightOverlay, s: Strings, hide: () => void): HTMLElement {
  const box = h('div', { class: 'weight-legend', 'data-testid': 'weight-legend', 'data-kind': o.kind });
  const head = o.kind === 'change' ? s.weightChangeLegend : s.weights;
  box.append(h('div', { class: 'legend-title' }, h('strong', {}, `${head}: `), o.title));
  if (o.kind === 'change') {
    const bar = h('span', { class: 'legend-bar' });
    const stops = [0, 0.25, 0.5, 0.75, 1].map((l) => heatColor({ kind: 'change', level: l, value: null, text: '' }));
    bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    box.append(h('div', { class: 'legend-scale' }, h('span', {}, '0'), bar, h('span', { 'data-testid': 'weight-legend-max' }, changeText(o.max))));
    box.append(h('div', { class: 'muted' }, `‖b − a‖ / ‖a‖ · ${o.nodes.length} ${s.nodes}`));
  } else box.append(h('div', { class: 'muted' }, `${o.nodes.reduce((a, n) => a + n.params.length, 0)} ${s.ckptTensors} · ${o.nodes.length} ${s.nodes}`));
  if (o.unplaced.length) {
    const list = o.unplaced.slice(0, 6).join(', ') + (o.unplaced.length > 6 ? ', …' : '');
    box.append(h('div', { class: 'muted', title: o.unplaced.join('\n') }, `${o.unplaced.length} ${s.overlayUnplaced}: ${list}`));
  }
  box.append(button(s.overlayHide, hide, { testId: 'weight-legend-hide' }));
  return box;
}

/** The node card's section: each parameter's change, or the checkpoint tensor's dtype, shape and statistics. */
export function weightsSection(o: WeightOverlay, n: OverlayNode, s: Strings): HTMLElement {
  const sec = h('div', { 'data-testid': 'card-weights' });
  if (o.kind === 'change') {
    sec.append(
      h(
        'h3',
        {},
        `${s.weightChangeLegend}: `,
        h('span', {}, n.value === null ? '' : changeText(n.value)),
        h('span', { class: 'muted' }, ` (${s.weightChangeLayer})`),
      ),
    );
    const t = h('table', {}, h('tr', {}, h('th', {}, s.parameter), h('th', { class: 'num' }, '‖b − a‖ / ‖a‖')));
    for (const p of n.params)
      t.append(
        h(
          'tr',
          { 'data-param': p.name },
          h('td', {}, h('code', {}, p.name)),
          h('td', { class: 'num' }, p.relative === undefined ? '' : changeText(p.relative)),
        ),
      );
    sec.append(t);
    return sec;
  }
  sec.append(h('h3', {}, `${s.weights}: ${o.title}`));
  for (const p of n.params) {
    sec.append(
      h('div', { 'data-param': p.name }, h('code', {}, p.name)),
      propertyTable([
        [s.shape, p.shape ? h('code', {}, `[${p.shape.join(', ')}]`) : ''],
        ['dtype', p.dtype ?? ''],
        [s.mean, p.stats ? num(p.stats.mean) : ''],
        [s.std, p.stats ? num(p.stats.std) : ''],
        [`${s.min} / ${s.max}`, p.stats ? `${num(p.stats.min)} / ${num(p.stats.max)}` : ''],
      ]),
    );
  }
  return sec;
}
