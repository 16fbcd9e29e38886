// Draws a scene onto a 2D canvas, skipping everything outside the visible world rectangle (used on screen and for PNG export).
import { LOD_LOW, LOD_MIN } from './renderer';
import { badgeText, edgeLabelPoint, frameTitle, heatColor, labelEdge, type Marks, type Rect, type Scene } from './scene';
import { clip } from './sceneMarkup';
import type { ThemeColors } from './themeColors';

/** Per visible edge: bounding box of its polyline (x0, y0, x1, y1), computed once per scene. */
export function edgeBoxes(scene: Scene): Float64Array {
  const out = new Float64Array(scene.visible.edges.length * 4);
  scene.layout.edgePoints.forEach((pts, i) => {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (let k = 0; k < pts.length; k += 2) {
      x0 = Math.min(x0, pts[k]!);
      x1 = Math.max(x1, pts[k]!);
      y0 = Math.min(y0, pts[k + 1]!);
      y1 = Math.max(y1, pts[k + 1]!);
    }
    out.set([x0, y0, x1, y1], i * 4);
  });
  return out;
}

const overlaps = (r: Rect, x0: number, y0: number, x1: number, y1: number): boolean => x1 >= r.x && x0 <= r.x + r.width && y1 >= r.y && y0 <= r.y + r.height;

/** `ctx` must already carry the world→pixel transform; `k` is the zoom (world px → css px) for level of detail. */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, marks: Marks, c: ThemeColors, world: Rect, k: number, boxes: Float64Array): void {
  const text = k >= LOD_MIN;
  const detail = k >= LOD_LOW;
  const px = 1 / k;
  ctx.lineJoin = 'round';

  ctx.setLineDash([2, 3]);
  ctx.strokeStyle = c.frame;
  ctx.lineWidth = Math.max(1, px);
  for (const f of scene.frames) {
    if (!overlaps(world, f.x, f.y, f.x + f.width, f.y + f.height)) continue;
    ctx.beginPath();
    ctx.roundRect(f.x, f.y, f.width, f.height, 6);
    ctx.stroke();
    if (text) {
      ctx.fillStyle = c.muted;
      ctx.font = `10.5px ${c.font}`;
      ctx.textAlign = 'left';
      ctx.fillText(frameTitle(scene, f), f.x + 6, f.y + 12);
    }
  }
  ctx.setLineDash([]);

  for (let pass = 0; pass < 2; pass++) {
    // plain edges first, fusion edges on top
    ctx.strokeStyle = pass === 0 ? c.edge : c.fusion;
    ctx.lineWidth = Math.max(pass === 0 ? 1.2 : 1.8, px);
    ctx.beginPath();
    scene.layout.edgePoints.forEach((pts, i) => {
      if (pts.length < 4 || scene.fusionEdge[i] !== pass) return;
      if (!overlaps(world, boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!)) return;
      ctx.moveTo(pts[0]!, pts[1]!);
      for (let q = 2; q < pts.length; q += 2) {
        const x0 = pts[q - 2]!,
          y0 = pts[q - 1]!,
          x1 = pts[q]!,
          y1 = pts[q + 1]!;
        const my = (y0 + y1) / 2;
        if (x0 === x1 || !detail) ctx.lineTo(x1, y1);
        else ctx.bezierCurveTo(x0, my, x1, my, x1, y1);
      }
      if (text) {
        // arrow head at the target
        const n = pts.length;
        const tx = pts[n - 2]!,
          ty = pts[n - 1]!;
        ctx.moveTo(tx - 3.5, ty - 7);
        ctx.lineTo(tx, ty);
        ctx.lineTo(tx + 3.5, ty - 7);
      }
    });
    ctx.stroke();
  }
  if (detail) {
    ctx.fillStyle = c.muted;
    ctx.font = `9.5px ${c.font}`;
    ctx.textAlign = 'left';
    scene.layout.edgePoints.forEach((pts, i) => {
      if (pts.length < 4 || scene.labelled[i] !== 1 || !overlaps(world, boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!)) return;
      const s = labelEdge(scene, i)?.shape;
      if (!s) return;
      const [lx, ly] = edgeLabelPoint(pts);
      ctx.fillText(s.concrete, lx, ly);
    });
  }

  const { items } = scene.visible;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const x = scene.layout.x[i]! - it.width / 2;
    const y = scene.layout.y[i]! - it.height / 2;
    if (!overlaps(world, x, y - 10, x + it.width, y + it.height)) continue;
    const node = it.kind === 'node' ? scene.payload.nodes[it.node] : undefined;
    ctx.fillStyle = marks.matches.has(i) ? c.match : it.kind === 'group' ? c.groupFill : node && node.kind !== 'op' ? c.ioFill : c.nodeFill;
    const selected = marks.selected === i;
    const highlighted = marks.highlighted.has(i);
    ctx.strokeStyle = selected ? c.select : highlighted ? c.highlight : it.fusion !== null ? c.fusion : c.nodeStroke;
    ctx.lineWidth = Math.max(selected || highlighted ? 3 : it.fusion !== null ? 2.5 : 1, px);
    const heat = scene.heat[i];
    if (!text) {
      ctx.fillRect(x, y, it.width, it.height);
      if (heat) {
        ctx.fillStyle = heatColor(heat);
        ctx.fillRect(x, y, it.width, it.height);
      }
      if (selected || highlighted || it.fusion !== null) ctx.strokeRect(x, y, it.width, it.height);
      continue;
    }
    ctx.setLineDash(it.kind === 'group' ? [4, 2] : []);
    ctx.beginPath();
    ctx.roundRect(x, y, it.width, it.height, it.kind === 'group' ? 8 : 4);
    ctx.fill();
    if (heat) {
      ctx.fillStyle = heatColor(heat);
      ctx.fill();
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = 'center';
    ctx.fillStyle = c.fg;
    ctx.font = `12px ${c.font}`;
    ctx.fillText(clip(it.kind === 'group' ? `⊞ ${it.label}` : it.label, it.width, 7.2), x + it.width / 2, y + 18);
    if (detail) {
      ctx.fillStyle = c.muted;
      ctx.font = `10.5px ${c.font}`;
      ctx.fillText(clip(it.sublabel, it.width, 6.2), x + it.width / 2, y + 34);
    }
    if (it.fusion !== null) {
      const t = badgeText(scene, it.fusion, it.repeat);
      const w = Math.round(t.length * 6.2 + 10);
      ctx.fillStyle = c.fusion;
      ctx.beginPath();
      ctx.roundRect(x + it.width - w + 6, y - 9, w, 15, 7);
      ctx.fill();
      if (detail) {
        ctx.fillStyle = c.badgeFg;
        ctx.font = `600 10px ${c.font}`;
        ctx.fillText(t, x + it.width - w + 6 + w / 2, y + 2);
      }
    }
    if (heat && detail) {
      const w = Math.round(heat.text.length * 6.2 + 10);
      ctx.fillStyle = heatColor({ ...heat, level: Math.max(heat.level, 0.6) });
      ctx.beginPath();
      ctx.roundRect(x - 6, y + it.height - 6, w, 15, 7);
      ctx.fill();
      ctx.fillStyle = c.fg;
      ctx.font = `600 10px ${c.font}`;
      ctx.fillText(heat.text, x - 6 + w / 2, y + it.height + 5);
    }
  }
}
