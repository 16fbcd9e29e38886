// Resolved theme colours for the canvas renderer and exported pictures (the same --fl-* palette the stylesheet uses).

export interface ThemeColors {
  readonly bg: string;
  readonly fg: string;
  readonly muted: string;
  readonly nodeFill: string;
  readonly nodeStroke: string;
  readonly ioFill: string;
  readonly groupFill: string;
  readonly edge: string;
  readonly frame: string;
  readonly fusion: string;
  readonly badgeFg: string;
  readonly select: string;
  readonly highlight: string;
  readonly match: string;
  readonly font: string;
}

const VARS: Record<keyof ThemeColors, string> = {
  bg: '--fl-bg',
  fg: '--fl-fg',
  muted: '--fl-muted',
  nodeFill: '--fl-node-fill',
  nodeStroke: '--fl-node-stroke',
  ioFill: '--fl-io-fill',
  groupFill: '--fl-group-fill',
  edge: '--fl-edge',
  frame: '--fl-frame',
  fusion: '--fl-fusion',
  badgeFg: '--fl-badge-fg',
  select: '--fl-select',
  highlight: '--fl-highlight',
  match: '--fl-match',
  font: '--fl-font',
};

export function readThemeColors(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(VARS)) out[key] = style.getPropertyValue(name).trim() || (key === 'font' ? 'monospace' : '#888');
  return out as unknown as ThemeColors;
}

/** Calls back when VS Code switches theme (it changes the body's class and the inline variables). */
export function onThemeChange(callback: () => void): void {
  const obs = new MutationObserver(callback);
  obs.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}

/** The stylesheet's graph rules with colours filled in, for a self-contained exported SVG. */
export function exportStyle(c: ThemeColors): string {
  return `
.g-node rect.box{fill:${c.nodeFill};stroke:${c.nodeStroke};stroke-width:1}
.g-node.io rect.box{fill:${c.ioFill}}
.g-node.group rect.box{fill:${c.groupFill};stroke-dasharray:4 2}
.g-node.fusion rect.box{stroke:${c.fusion};stroke-width:2.5}
.g-node text{fill:${c.fg};font-family:${c.font};font-size:12px;text-anchor:middle}
.g-node text.sub{fill:${c.muted};font-size:10.5px}
.g-node .badge rect{fill:${c.fusion}}
.g-node .badge text{fill:${c.badgeFg};font-size:10px;font-weight:600}
.g-edge{fill:none;stroke:${c.edge};stroke-width:1.2}
.g-edge.fusion-in{stroke:${c.fusion};stroke-width:1.8}
.g-arrow{fill:${c.edge}}
.g-arrow.fusion{fill:${c.fusion}}
.g-edge-label{fill:${c.muted};font-family:${c.font};font-size:9.5px}
.g-frame rect{fill:none;stroke:${c.frame};stroke-dasharray:2 3}
.g-frame text{fill:${c.muted};font-size:10.5px;font-family:${c.font}}`;
}
