// Exports the whole graph as a self-contained SVG document or a PNG picture (rendered through the canvas drawing code).
import { base64Of } from '../../src/protocol';
import { drawScene, edgeBoxes } from './canvasDraw';
import { NO_MARKS, sceneBounds, type Scene } from './scene';
import { sceneSvgDocument } from './sceneMarkup';
import { exportStyle, type ThemeColors } from './themeColors';

export function exportSvg(scene: Scene, colors: ThemeColors): string {
  return sceneSvgDocument(scene, sceneBounds(scene), exportStyle(colors), colors.bg);
}

/** Largest side and area of the exported bitmap (browsers refuse bigger canvases). */
const MAX_SIDE = 16384;
const MAX_AREA = 64e6;

/** PNG bytes as base64; big graphs are scaled down to fit the canvas limits. */
export async function exportPng(scene: Scene, colors: ThemeColors, scale = 2): Promise<string> {
  const b = sceneBounds(scene);
  const s = Math.min(scale, MAX_SIDE / b.width, MAX_SIDE / b.height, Math.sqrt(MAX_AREA / (b.width * b.height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(b.width * s));
  canvas.height = Math.max(1, Math.ceil(b.height * s));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2d context unavailable');
  ctx.fillStyle = colors.bg;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(s, 0, 0, s, -b.x * s, -b.y * s);
  // level of detail follows the export scale: text is kept whenever it would be legible
  drawScene(ctx, scene, NO_MARKS, colors, b, Math.max(s, 0.3), edgeBoxes(scene));
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('PNG encoding failed');
  return base64Of(new Uint8Array(await blob.arrayBuffer()));
}
