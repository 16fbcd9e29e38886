// SVG markup of a scene: frames, edges with shape labels, node boxes with fusion badges (used on screen and for export).
import { escapeXml } from '../shared/format';
import { badgeText, edgeLabelPoint, frameTitle, heatColor, itemRect, labelEdge, type Scene } from './scene';

const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();

/** Smooth edge path: each segment a cubic whose tangents are vertical at both ends. */
export function edgePathData(pts: Float64Array): string {
  let d = `M${r1(pts[0]!)},${r1(pts[1]!)}`;
  for (let k = 2; k < pts.length; k += 2) {
    const x0 = pts[k - 2]!;
    const y0 = pts[k - 1]!;
    const x1 = pts[k]!;
    const y1 = pts[k + 1]!;
    const my = (y0 + y1) / 2;
    d += x0 === x1 ? `L${r1(x1)},${r1(y1)}` : `C${r1(x0)},${r1(my)} ${r1(x1)},${r1(my)} ${r1(x1)},${r1(y1)}`;
  }
  return d;
}

export function arrowDefs(): string {
  const marker = (id: string, cls: string): string =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="${cls}" d="M0,0L10,5L0,10z"/></marker>`;
  return `<defs>${marker('fl-arrow', 'g-arrow')}${marker('fl-arrow-fusion', 'g-arrow fusion')}</defs>`;
}

export function framesMarkup(scene: Scene): string {
  let out = '';
  for (const f of scene.frames) {
    const title = frameTitle(scene, f);
    out += `<g class="g-frame" data-testid="scope-frame" data-scope="${escapeXml(f.scope)}"><rect x="${r1(f.x)}" y="${r1(f.y)}" width="${r1(f.width)}" height="${r1(f.height)}" rx="6"/>`;
    out += `<text x="${r1(f.x + 6)}" y="${r1(f.y + 12)}" data-scope-toggle="${escapeXml(f.scope)}">${escapeXml(title)}</text></g>`;
  }
  return out;
}

export function edgesMarkup(scene: Scene, withLabels: boolean): string {
  let out = '';
  scene.visible.edges.forEach((_, i) => {
    const pts = scene.layout.edgePoints[i]!;
    if (pts.length < 4) return;
    const fusion = scene.fusionEdge[i] === 1;
    const e = labelEdge(scene, i);
    out += `<path class="g-edge${fusion ? ' fusion-in' : ''}" d="${edgePathData(pts)}" marker-end="url(#${fusion ? 'fl-arrow-fusion' : 'fl-arrow'})">`;
    if (e?.shape) out += `<title>${escapeXml(`${e.shape.symbolic}  ·  ${e.shape.concrete}`)}</title>`;
    out += '</path>';
    if (withLabels && e?.shape && scene.labelled[i] === 1) {
      const [lx, ly] = edgeLabelPoint(pts);
      out += `<text class="g-edge-label" x="${r1(lx)}" y="${r1(ly)}">${escapeXml(e.shape.concrete)}</text>`;
    }
  });
  return out;
}

export function nodesMarkup(scene: Scene): string {
  let out = '';
  const { items } = scene.visible;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const r = itemRect(scene, i);
    const node = it.kind === 'node' ? scene.payload.nodes[it.node]! : null;
    const classes = ['g-node'];
    if (it.kind === 'group') classes.push('group');
    else if (node && node.kind !== 'op') classes.push('io');
    if (it.fusion !== null) classes.push('fusion');
    const testId = it.kind === 'group' ? 'graph-group' : it.fusion !== null ? 'fusion-node' : 'graph-node';
    const attrs =
      it.kind === 'group'
        ? `data-scope="${escapeXml(it.scope)}"${it.repeat ? ` data-repeat="${it.repeat}"` : ''}`
        : `data-node-id="${escapeXml(it.id)}"${node?.line != null ? ` data-line="${node.line}"` : ''}`;
    const fusionAttr = it.fusion !== null ? ` data-fusion-method="${escapeXml(scene.payload.fusions[it.fusion]?.method ?? '')}"` : '';
    // focusable with Tab, opened with Enter (graphApp), named for screen readers
    const aria = escapeXml(
      `${it.kind === 'group' ? 'group ' : ''}${it.label} ${it.sublabel}${it.fusion !== null ? ` · ${badgeText(scene, it.fusion, it.repeat)}` : ''}`,
    );
    out += `<g class="${classes.join(' ')}" data-item="${i}" data-testid="${testId}" ${attrs}${fusionAttr} tabindex="0" role="button" aria-label="${aria}" transform="translate(${r1(r.x)},${r1(r.y)})">`;
    const tip = node
      ? `${node.op}${node.modulePath ? ` (${node.modulePath})` : ''}\n${node.outputs.map((o) => `${o.symbolic} · ${o.concrete}`).join('\n')}`
      : `${it.label} — ${it.sublabel}`;
    out += `<title>${escapeXml(tip)}</title>`;
    out += `<rect class="box" width="${r.width}" height="${r.height}" rx="${it.kind === 'group' ? 8 : 4}"/>`;
    const heat = scene.heat[i];
    if (heat) out += `<rect class="heat" width="${r.width}" height="${r.height}" rx="${it.kind === 'group' ? 8 : 4}" style="fill:${heatColor(heat)}"/>`;
    out += `<text class="label" x="${r.width / 2}" y="18">${escapeXml(clip(it.kind === 'group' ? `⊞ ${it.label}` : it.label, r.width, 7.2))}</text>`;
    out += `<text class="sub" x="${r.width / 2}" y="34">${escapeXml(clip(it.sublabel, r.width, 6.2))}</text>`;
    if (it.fusion !== null) {
      const text = badgeText(scene, it.fusion, it.repeat);
      const w = Math.round(text.length * 6.2 + 10);
      out += `<g class="badge" transform="translate(${r1(r.width - w + 6)},-9)"><rect width="${w}" height="15" rx="7"/><text x="${w / 2}" y="11">${escapeXml(text)}</text></g>`;
    }
    if (heat) {
      const w = Math.round(heat.text.length * 6.2 + 10);
      const value = heat.value === null ? '' : ` data-value="${heat.value}"`;
      out += `<g class="heat-badge" data-testid="weight-badge"${value} transform="translate(-6,${r.height - 6})"><rect width="${w}" height="15" rx="7" style="fill:${heatColor({ ...heat, level: Math.max(heat.level, 0.6) })}"/><text x="${w / 2}" y="11">${escapeXml(heat.text)}</text></g>`;
    }
    out += '</g>';
  }
  return out;
}

/** Shortens text to fit a box of `width` px at ~`charWidth` px per character. */
export function clip(text: string, width: number, charWidth: number): string {
  const max = Math.max(3, Math.floor((width - 10) / charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A standalone SVG document of the whole scene (exported pictures). */
export function sceneSvgDocument(scene: Scene, bounds: { x: number; y: number; width: number; height: number }, style: string, background: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(bounds.width)}" height="${Math.ceil(bounds.height)}" viewBox="${r1(bounds.x)} ${r1(bounds.y)} ${r1(bounds.width)} ${r1(bounds.height)}">` +
    `<style>${style}</style>${arrowDefs()}<rect x="${r1(bounds.x)}" y="${r1(bounds.y)}" width="${r1(bounds.width)}" height="${r1(bounds.height)}" fill="${escapeXml(background)}"/>` +
    `${framesMarkup(scene)}${edgesMarkup(scene, true)}${nodesMarkup(scene)}</svg>`
  );
}
