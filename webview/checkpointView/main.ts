// Checkpoint viewer entry (dist/webview/checkpointView.js): the state dict of a .pt/.pth/.bin as a tree by module path,
// with dtypes, shapes, sizes and totals, the other entries, the workspace models it fits (or the closest, and why not),
// and a fitting model's graph with the checkpoint's weights, drawn by the graph view's own GraphApp.
import { isToGraphView, type FromGraphView } from '../../src/protocol';
import { isToCheckpointView, type CheckpointTensorRow, type CheckpointViewData, type FromCheckpointView } from '../../src/protocolCheckpoint';
import { readBoot, uiLanguage } from '../shared/boot';
import { button } from '../shared/controls';
import { h } from '../shared/dom';
import { compact } from '../shared/format';
import { webviewHost } from '../shared/vscodeApi';
import { GraphApp, type SavedState } from '../graphView/graphApp';
import '../graphView/graphView.css';
import './checkpointView.css';

const boot = readBoot();
const s = boot.strings;
const root = document.getElementById('root') ?? document.body;
const host = webviewHost<FromGraphView | FromCheckpointView, SavedState>();
// The graph lives in its own box, kept across renders (the layout and view state stay when only the text changes).
const graphBox = h('div', { class: 'graph-box', 'data-testid': 'ckpt-graph' });
const app = new GraphApp(graphBox, host, s, uiLanguage(boot.locale), `${boot.distBase}webview/layoutWorker.js`);

const bytesText = (n: number): string => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

interface Group {
  readonly path: string;
  readonly tensors: CheckpointTensorRow[];
  readonly children: Map<string, Group>;
  numel: number;
  bytes: number;
  count: number;
}

function tree(rows: readonly CheckpointTensorRow[]): Group {
  const top: Group = { path: '', tensors: [], children: new Map(), numel: 0, bytes: 0, count: 0 };
  for (const t of rows) {
    const parts = t.name.split('.');
    let g = top;
    const chain = [top];
    for (let i = 0; i < parts.length - 1; i++) {
      const path = parts.slice(0, i + 1).join('.');
      let c = g.children.get(parts[i]!);
      if (!c) g.children.set(parts[i]!, (c = { path, tensors: [], children: new Map(), numel: 0, bytes: 0, count: 0 }));
      g = c;
      chain.push(g);
    }
    g.tensors.push(t);
    for (const x of chain) {
      x.numel += t.numel;
      x.bytes += t.bytes;
      x.count++;
    }
  }
  return top;
}

function groupView(g: Group, depth: number): HTMLElement {
  const list = h('div', { class: 'group-body' });
  for (const t of g.tensors) {
    list.append(
      h(
        'div',
        { class: 'tensor', 'data-testid': 'ckpt-tensor', 'data-name': t.name },
        h('code', { class: 'name' }, t.name.split('.').pop()!),
        h('span', { class: 'dtype' }, t.dtype),
        h('code', { class: 'shape' }, `[${t.shape.join(', ')}]`),
        h('span', { class: 'num' }, compact(t.numel)),
        h('span', { class: 'num muted' }, bytesText(t.bytes)),
      ),
    );
  }
  for (const c of g.children.values()) {
    const d = h(
      'details',
      { class: 'group', 'data-path': c.path },
      h(
        'summary',
        {},
        h('code', {}, c.path.split('.').pop()!),
        ' ',
        h('span', { class: 'muted' }, `${c.count} ${s.ckptTensors} · ${compact(c.numel)} · ${bytesText(c.bytes)}`),
      ),
    );
    if (depth < 1) d.setAttribute('open', '');
    d.append(groupView(c, depth + 1));
    list.append(d);
  }
  return list;
}

/** Which workspace models fit (a choice when several do), or the closest one and why it does not. */
function fitsSection(d: CheckpointViewData): HTMLElement {
  const sec = h('section', { 'data-testid': 'ckpt-fits' });
  const fitting = d.models.filter((m) => m.fits);
  if (fitting.length === 0) {
    sec.append(h('p', { class: 'muted' }, s.ckptNoFit));
    const closest = d.models[0];
    if (closest)
      sec.append(
        h(
          'p',
          { 'data-testid': 'ckpt-closest' },
          `${s.ckptClosest}: ${closest.label} — ${closest.matched} / ${closest.total} ${s.ckptMatch}; ${closest.reason}`,
        ),
      );
    return sec;
  }
  sec.append(h('p', {}, `${s.ckptFits}:`));
  const list = h('div', { class: 'fit-list' });
  for (const m of fitting) {
    const text = `${m.label} — ${m.matched} / ${m.total} ${s.ckptMatch}`;
    if (fitting.length === 1 || m.key === d.shown)
      list.append(h('div', { class: 'fit shown', 'data-testid': 'ckpt-fit', 'data-shown': String(m.key === d.shown) }, text));
    else {
      const b = button(text, () => host.post({ type: 'showModel', key: m.key }), { testId: 'ckpt-fit', title: s.ckptShowModel });
      b.setAttribute('data-shown', 'false');
      list.append(b);
    }
  }
  sec.append(list);
  return sec;
}

function render(d: CheckpointViewData): void {
  root.replaceChildren();
  root.append(h('h2', {}, d.file));
  const head = [`${d.format}`];
  if (d.entry !== null) head.push(`${s.ckptStateDict}: ${d.entry === '' ? '(file)' : `'${d.entry}'`}`);
  if (d.strippedPrefixes.length) head.push(`${s.ckptPrefixes}: ${d.strippedPrefixes.join('')}`);
  root.append(h('p', { class: 'muted', 'data-testid': 'ckpt-format' }, head.join(' · ')));
  root.append(
    h(
      'p',
      { 'data-testid': 'ckpt-totals' },
      `${s.ckptTotal}: ${d.totals.count} ${s.ckptTensors}, ${d.totals.numel.toLocaleString('en-US')} ${s.ckptElements}, ${bytesText(d.totals.bytes)}`,
    ),
  );
  const others = d.candidates.filter((c) => c.path !== d.entry);
  if (others.length)
    root.append(
      h(
        'section',
        { 'data-testid': 'ckpt-entries' },
        h('span', {}, `${s.ckptOtherDicts}: `),
        ...others.map((c) =>
          button(`${c.path || '(file)'} — ${c.tensors} ${s.ckptTensors}`, () => host.post({ type: 'pickEntry', path: c.path }), {
            testId: 'ckpt-entry',
            title: s.ckptReadEntry,
          }),
        ),
      ),
    );
  root.append(fitsSection(d));
  graphBox.hidden = d.shown === null;
  root.append(graphBox);
  root.append(h('section', { 'data-testid': 'ckpt-tree' }, groupView(tree(d.tensors), 0)));
  if (d.others.length) {
    const t = h('table', { 'data-testid': 'ckpt-others' });
    for (const o of d.others) t.append(h('tr', {}, h('th', {}, h('code', {}, o.key)), h('td', {}, o.text)));
    root.append(h('section', {}, h('h3', {}, s.ckptOther), t));
  }
  if (d.warnings.length)
    root.append(h('section', {}, h('h3', {}, s.ckptWarnings), h('ul', { 'data-testid': 'ckpt-warnings' }, ...d.warnings.map((w) => h('li', {}, w)))));
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isToCheckpointView(e.data)) {
    if (e.data.type === 'error') root.replaceChildren(h('p', { class: 'error', 'data-testid': 'ckpt-error' }, e.data.message));
    else render(e.data.data);
  } else if (isToGraphView(e.data)) app.receive(e.data);
  else host.post({ type: 'log', level: 'warn', message: 'checkpoint viewer: ignored a malformed message' });
});
host.post({ type: 'ready' });
