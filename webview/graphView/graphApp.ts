// The graph view: toolbar, stage and node card; turns payloads into laid-out scenes, keeps selection and view state, talks to the host.
import type { FromGraphView, GraphPayload, GraphViewReplies, PayloadNode, ToGraphView, WeightOverlay } from '../../src/protocol';
import { GRAPH_VIEW_REPLIES, RequestChannel, unhandled } from '../../src/protocol';
import { scopeFrames } from '../../src/core/graph/layout/scopeFrames';
import { allGroupKeys, defaultExpanded, expandGroup, toLayoutGraph, visibleGraph, type VisibleGraph } from '../../src/core/graph/layout/visibleGraph';
import { button, textField } from '../shared/controls';
import { h } from '../shared/dom';
import { compact } from '../shared/format';
import type { Strings } from '../shared/strings';
import type { WebviewHost } from '../shared/vscodeApi';
import { CanvasRenderer } from './canvasRenderer';
import { exportPng, exportSvg } from './exportImage';
import { LayoutCancelled, LayoutClient } from './layoutClient';
import { nodeCard } from './nodeCard';
import { overlayLegend } from './overlayLegend';
import type { Renderer } from './renderer';
import { itemRect, makeScene, sceneBounds, type Scene } from './scene';
import { searchItems } from './searchNodes';
import { Minimap } from './minimap';
import { StageOverlay } from './stageOverlay';
import { SvgRenderer } from './svgRenderer';
import { onThemeChange, readThemeColors } from './themeColors';
import { Viewport, type View } from './viewport';

/** Boxes on screen when a model opens (more are shown as collapsed groups). */
const EXPAND_BUDGET = 400;
/** Above this many boxes the canvas renderer takes over from SVG. */
const SVG_MAX_ITEMS = 2500;
/** Graphs with more boxes than this get the overview strip. */
const MINIMAP_MIN_ITEMS = 150;
/** Payloads up to this size are kept in the webview state so a restored view draws at once. */
const STATE_MAX_NODES = 3000;

export interface SavedState {
  readonly key: string | null;
  readonly expanded: readonly string[];
  readonly selected: string | null;
  readonly view: View | null;
  readonly query: string;
  readonly payload?: GraphPayload;
}

type ExportRequest = Extract<FromGraphView, { type: 'exportImage' }>;

export class GraphApp {
  private payload: GraphPayload | null = null;
  /** Weights over the graph (the host's latest comparison, or the checkpoint viewer's tensors); null when none or hidden. */
  private weights: WeightOverlay | null = null;
  private legend: HTMLElement | null = null;
  private expanded = new Set<string>();
  private visible: VisibleGraph | null = null;
  private scene: Scene | null = null;
  private renderer: Renderer | null = null;
  private selected: string | null = null;
  /** Payload node indices the host asked to highlight. */
  private highlightedNodes: number[] = [];
  private matches: number[] = [];
  private matchCursor = -1;
  private query = '';
  private colors = readThemeColors();
  private layoutSeq = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly viewport: Viewport;
  private readonly layout: LayoutClient;
  private readonly requests: RequestChannel<ExportRequest, GraphViewReplies>;
  private readonly stage = h('div', { class: 'stage', 'data-testid': 'graph-stage' });
  private readonly main = h('div', { class: 'main' });
  private readonly title = h('span', { class: 'title', 'data-testid': 'graph-title' });
  private readonly stats = h('span', { class: 'stat', 'data-testid': 'graph-stats' });
  private readonly matchInfo = h('span', { class: 'stat', 'data-testid': 'search-count' });
  private readonly runButton: HTMLElement;
  private card: HTMLElement | null = null;
  private readonly overlay: StageOverlay;
  private readonly minimap: Minimap;

  constructor(
    root: HTMLElement,
    private readonly host: WebviewHost<FromGraphView, SavedState>,
    private readonly s: Strings,
    private readonly lang: 'en' | 'zh-cn',
    workerUrl: string,
  ) {
    this.layout = new LayoutClient(workerUrl, (m) => this.log('warn', m));
    this.requests = new RequestChannel<ExportRequest, GraphViewReplies>((m) => host.post(m), GRAPH_VIEW_REPLIES);
    this.runButton = button(
      s.runModel,
      () => {
        if (this.payload) host.post({ type: 'runModel', key: this.payload.key });
      },
      { appearance: 'primary', title: s.runModelTitle, testId: 'run-model' },
    );
    // typing in a big graph searches once the keys pause
    let searchTimer: ReturnType<typeof setTimeout> | undefined;
    const search = textField(
      (v) => {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => this.setQuery(v), (this.payload?.nodes.length ?? 0) > 3000 ? 150 : 0);
      },
      { placeholder: s.search, testId: 'graph-search', value: host.getState()?.query ?? '' },
    );
    search.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') this.nextMatch((e as KeyboardEvent).shiftKey ? -1 : 1);
    });
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar' },
      this.title,
      this.stats,
      h('span', { class: 'spacer' }),
      search,
      this.matchInfo,
      button('−', () => this.viewport.zoomBy(0.8), { appearance: 'icon', title: s.zoomOut, testId: 'zoom-out' }),
      button('+', () => this.viewport.zoomBy(1.25), { appearance: 'icon', title: s.zoomIn, testId: 'zoom-in' }),
      button(s.fit, () => this.fit(), { testId: 'fit' }),
      button(s.expandAll, () => this.setExpanded(new Set(this.payload ? allGroupKeys(this.payload) : []), false), { testId: 'expand-all' }),
      button(s.collapseAll, () => this.setExpanded(new Set(), false), { testId: 'collapse-all' }),
      button(s.exportSvg, () => void this.export('svg'), { title: s.exportTitle, testId: 'export-svg' }),
      button(s.exportPng, () => void this.export('png'), { title: s.exportTitle, testId: 'export-png' }),
      this.runButton,
    );
    this.runButton.hidden = true;
    this.main.append(this.stage);
    this.overlay = new StageOverlay(this.main, s, () => this.layout.cancel());
    this.minimap = new Minimap(this.main, this.colors, (x, y) => {
      const v = this.viewport.current;
      const { width, height } = this.viewport.size();
      this.viewport.set({ k: v.k, tx: width / 2 - x * v.k, ty: height / 2 - y * v.k });
    });
    root.append(toolbar, this.main);
    this.viewport = new Viewport(this.stage, {
      onChange: (v) => {
        this.renderer?.setView(v);
        this.drawMinimap();
        this.saveSoon();
      },
      onClick: (target, x, y) => this.click(target, x, y),
      onKey: (key) => {
        if (key === 'f') this.fit();
        else if (key === 'Escape') this.closeCard();
        else if (key === 'Enter' && document.activeElement?.closest('[data-item]')) this.click(document.activeElement, 0, 0);
        else if (key === '/') search.focus();
      },
    });
    onThemeChange(() => {
      this.colors = readThemeColors();
      this.renderer?.setColors(this.colors);
      this.minimap.setColors(this.colors);
      this.drawMinimap();
    });
    new ResizeObserver(() => {
      this.renderer?.setView(this.viewport.current);
      this.drawMinimap();
    }).observe(this.stage);
    this.restore(host.getState());
  }

  /** Every message from the host, already validated. */
  receive(msg: ToGraphView): void {
    switch (msg.type) {
      case 'response':
        this.requests.handle(msg);
        return;
      case 'graph':
        this.runButton.hidden = !(msg.canRun && msg.payload);
        this.setOverlay(msg.payload ? (msg.overlay ?? null) : null, false);
        if (msg.payload) void this.setPayload(msg.payload);
        else this.showEmpty(msg.reason ?? this.s.noModel);
        return;
      case 'highlight':
        this.highlight(msg.nodeIds, msg.file, msg.line);
        return;
      default:
        unhandled(msg);
    }
  }

  private restore(state: SavedState | undefined): void {
    if (!state) {
      this.showEmpty(this.s.noModel);
      return;
    }
    this.selected = state.selected;
    this.query = state.query;
    if (state.payload && state.key === state.payload.key) void this.setPayload(state.payload, state);
    else this.showEmpty(this.s.noModel);
  }

  /** Pan and zoom fire many times a second; the state (which may hold the payload) is written once they settle. */
  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 400);
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    const p = this.payload;
    this.host.setState({
      key: p?.key ?? null,
      expanded: [...this.expanded],
      selected: this.selected,
      view: this.viewport.current,
      query: this.query,
      ...(p && p.nodes.length <= STATE_MAX_NODES ? { payload: p } : {}),
    });
  }

  private async setPayload(p: GraphPayload, restored?: SavedState): Promise<void> {
    const prev = restored ?? this.host.getState();
    // the saved state is the memory of one model: grouping, view and selection carry over when the same model comes back
    const sameModel = prev !== undefined && prev.key === p.key;
    const scopes = new Set(allGroupKeys(p));
    this.expanded = sameModel && prev ? new Set(prev.expanded.filter((x) => scopes.has(x))) : defaultExpanded(p, EXPAND_BUDGET);
    if (!sameModel) {
      this.selected = null;
      this.closeCard();
    }
    this.payload = p;
    this.highlightedNodes = [];
    this.title.textContent = p.title;
    this.title.title = p.file;
    this.stats.textContent = `${p.nodes.length} ${this.s.nodes} · ${compact(p.paramsTotal)} ${this.s.params} · ${compact(p.flopsTotal)} ${this.s.flops}`;
    if (p.stale) this.stats.append(' · ', h('span', { class: 'stale' }, this.s.stale));
    await this.relayout(sameModel && prev?.view ? prev.view : null);
  }

  private async setExpanded(next: Set<string>, keepView = true): Promise<void> {
    this.expanded = next;
    await this.relayout(keepView ? this.viewport.current : null);
  }

  /** Lays out what is visible now and swaps the scene in; `view` null means fit. */
  private async relayout(view: View | null): Promise<boolean> {
    const p = this.payload;
    if (!p) return false;
    const seq = ++this.layoutSeq;
    const visible = visibleGraph(p, this.expanded);
    const graph = toLayoutGraph(visible);
    this.overlay.hideMessage();
    const showProgress = setTimeout(() => this.overlay.showProgress(), graph.nodeCount > 2000 ? 0 : 200);
    try {
      const out = await this.layout.run(graph, (phase, fraction) => {
        this.overlay.updateProgress(fraction, phase);
      });
      if (seq !== this.layoutSeq) return false;
      this.visible = visible;
      this.scene = makeScene(p, visible, out.result, scopeFrames(visible, out.result, this.expanded), this.weights);
      this.ensureRenderer(visible.items.length).setScene(this.scene);
      this.minimap.setScene(this.scene, visible.items.length > MINIMAP_MIN_ITEMS);
      if (view) this.viewport.set(view);
      else this.initialView(this.scene);
      this.recomputeMatches();
      this.paintMarks();
      this.refreshCard();
      this.save();
      this.host.post({ type: 'layoutDone', nodes: graph.nodeCount, edges: graph.sources.length, ms: Math.round(out.ms * 10) / 10, mode: out.result.mode });
      return true;
    } catch (err) {
      if (seq !== this.layoutSeq) return false;
      if (this.scene?.payload !== p) {
        // what is drawn belongs to another model: take it down rather than show it under this one's title
        this.scene = null;
        this.renderer?.dispose();
        this.renderer = null;
        this.minimap.setScene(null, false);
      }
      if (err instanceof LayoutCancelled) this.overlay.showMessage(this.s.layoutCancelled);
      else {
        const text = err instanceof Error ? err.message : String(err);
        this.overlay.showMessage(`${this.s.layoutFailed}: ${text}`);
        this.log('error', `layout failed: ${text}`);
      }
      return false;
    } finally {
      clearTimeout(showProgress);
      if (seq === this.layoutSeq) this.overlay.hideProgress();
    }
  }

  /** Readable fit from the top; when the first fusion point is then off screen, it is brought into view instead. */
  private initialView(scene: Scene): void {
    this.viewport.fit(sceneBounds(scene), true);
    const first = scene.visible.items.findIndex((it) => it.fusion !== null);
    if (first < 0) return;
    const r = itemRect(scene, first);
    const w = this.viewport.visibleWorld();
    if (r.y < w.y || r.y + r.height > w.y + w.height) this.viewport.reveal(r, this.viewport.current.k);
  }

  private ensureRenderer(items: number): Renderer {
    const want = items > SVG_MAX_ITEMS ? 'canvas' : 'svg';
    if (this.renderer?.kind !== want) {
      this.renderer?.dispose();
      this.renderer = want === 'svg' ? new SvgRenderer(this.stage) : new CanvasRenderer(this.stage, this.colors);
      this.renderer.setView(this.viewport.current);
    }
    return this.renderer;
  }

  private drawMinimap(): void {
    const { width, height } = this.viewport.size();
    this.minimap.draw(this.viewport.current, width, height);
  }

  /** Whole drawing in view; after a cancelled layout (no scene yet) it lays out again. */
  private fit(): void {
    if (this.scene) this.viewport.fit(sceneBounds(this.scene));
    else if (this.payload) void this.relayout(null);
  }

  private click(target: EventTarget | null, x: number, y: number): void {
    const hit = this.renderer?.hit(target, x, y);
    if (!hit || !this.scene) return;
    if (hit.kind === 'frame') {
      const next = new Set(this.expanded);
      for (const sc of next) if (sc === hit.scope || sc.startsWith(`${hit.scope}.`)) next.delete(sc);
      void this.setExpanded(next);
      return;
    }
    const item = this.scene.visible.items[hit.index]!;
    if (item.kind === 'group') {
      void this.setExpanded(expandGroup(item, this.scene.visible, this.expanded));
      return;
    }
    this.selected = item.id;
    this.paintMarks();
    this.refreshCard();
    this.save();
    const node = this.scene.payload.nodes[item.node]!;
    if (node.line !== null && node.file) this.reveal(node);
  }

  private reveal(node: PayloadNode): void {
    if (node.line !== null && node.file) this.host.post({ type: 'revealSource', nodeId: node.id, file: node.file, line: node.line });
  }

  /**
   * Host-driven highlight (cursor moved): the nodes of that line, or the collapsed groups holding them, are marked
   * and the first is scrolled into view. Groups are not opened here: the drawing should not jump while the user types.
   */
  private highlight(nodeIds: readonly string[] | undefined, file: string | undefined, line: number | undefined): void {
    const p = this.payload;
    if (!p) return;
    const ids = nodeIds ? new Set(nodeIds) : null;
    const nodes: number[] = [];
    p.nodes.forEach((n, i) => {
      if (ids ? ids.has(n.id) : line !== undefined && n.line === line && (file === undefined || n.file === file)) nodes.push(i);
    });
    this.highlightedNodes = nodes;
    this.paintMarks();
    const scene = this.scene;
    if (!scene || nodes.length === 0) return;
    const first = nodes.map((i) => scene.visible.itemOfNode[i]!).find((i) => i >= 0);
    if (first === undefined) return;
    const r = itemRect(scene, first);
    const view = this.viewport.visibleWorld();
    // scroll only when the box is not already on screen
    if (r.x < view.x || r.y < view.y || r.x + r.width > view.x + view.width || r.y + r.height > view.y + view.height) {
      this.viewport.reveal(r, Math.min(1, this.viewport.current.k));
    }
  }

  private setQuery(q: string): void {
    this.query = q;
    this.recomputeMatches();
    this.paintMarks();
    this.save();
  }

  private recomputeMatches(): void {
    this.matches = this.payload && this.visible ? searchItems(this.payload, this.visible, this.query) : [];
    this.matchCursor = -1;
    this.matchInfo.textContent = this.query.trim() ? `${this.matches.length} ${this.s.matches}` : '';
  }

  private nextMatch(dir: number): void {
    if (!this.scene || this.matches.length === 0) return;
    this.matchCursor = (this.matchCursor + dir + this.matches.length) % this.matches.length;
    const i = this.matches[this.matchCursor]!;
    this.viewport.reveal(itemRect(this.scene, i));
  }

  private paintMarks(): void {
    const scene = this.scene;
    if (!scene || !this.renderer) return;
    const index = new Map(scene.visible.items.map((it, i) => [it.id, i]));
    const selected = this.selected === null ? null : (index.get(this.selected) ?? null);
    const highlighted = new Set(
      this.highlightedNodes
        .filter((i) => i < scene.visible.itemOfNode.length)
        .map((i) => scene.visible.itemOfNode[i]!)
        .filter((i) => i >= 0),
    );
    this.renderer.setMarks({ selected, highlighted, matches: new Set(this.matches) });
  }

  /** Shows (or with null, takes down) the weights overlay: legend, heat colours and the node card's weights section. */
  private setOverlay(overlay: WeightOverlay | null, redraw = true): void {
    this.weights = overlay;
    this.legend?.remove();
    this.legend = overlay ? overlayLegend(overlay, this.s, () => this.setOverlay(null)) : null;
    if (this.legend) this.main.append(this.legend);
    const sc = this.scene;
    if (!redraw || !sc || !this.renderer) return;
    this.scene = makeScene(sc.payload, sc.visible, sc.layout, sc.frames, overlay);
    this.renderer.setScene(this.scene);
    this.paintMarks();
    this.refreshCard();
  }

  private refreshCard(): void {
    this.closeCard(false);
    const scene = this.scene;
    if (!scene || this.selected === null) return;
    const item = scene.visible.items.find((it) => it.id === this.selected);
    if (!item) return;
    this.card = nodeCard(scene.payload, item, this.s, this.lang, this.weights, {
      goToSource: (n) => this.reveal(n),
      expand: (group) => void this.setExpanded(expandGroup(group, scene.visible, this.expanded)),
      close: () => this.closeCard(),
    });
    this.main.append(this.card);
  }

  private closeCard(clearSelection = true): void {
    this.card?.remove();
    this.card = null;
    if (clearSelection && this.selected !== null) {
      this.selected = null;
      this.paintMarks();
      this.save();
    }
  }

  private async export(format: 'svg' | 'png'): Promise<void> {
    const scene = this.scene;
    if (!scene) return;
    try {
      const data = format === 'svg' ? exportSvg(scene, this.colors) : await exportPng(scene, this.colors);
      const fileName = `${scene.payload.title.replace(/[^\w.\- ]+/g, '_').slice(0, 80) || 'graph'}.${format}`;
      await this.requests.request({ type: 'exportImage', format, fileName, data });
    } catch (err) {
      this.log('error', `export ${format} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private showEmpty(text: string): void {
    this.payload = null;
    this.scene = null;
    this.minimap.setScene(null, false);
    this.renderer?.dispose();
    this.renderer = null;
    this.closeCard(false);
    this.title.textContent = '';
    this.stats.textContent = '';
    this.overlay.showMessage(text);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.host.post({ type: 'log', level, message });
  }
}
