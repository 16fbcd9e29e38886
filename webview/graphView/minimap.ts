// An overview strip beside large graphs, stretched to fill it: every box as a speck, the visible part outlined; click or drag to go there.
import { sceneBounds, type Rect, type Scene } from './scene';
import type { ThemeColors } from './themeColors';
import type { View } from './viewport';

const WIDTH = 110;

export class Minimap {
  private readonly canvas: HTMLCanvasElement;
  /** The drawing of all boxes, redrawn only when the scene or colours change. */
  private base: HTMLCanvasElement | null = null;
  private scene: Scene | null = null;
  private bounds: Rect = { x: 0, y: 0, width: 1, height: 1 };
  /** World → strip scale per axis: the strip is filled both ways (a 2-million-pixel-tall graph would otherwise be a hairline). */
  private sx = 1;
  private sy = 1;
  private dragging = false;

  constructor(
    host: HTMLElement,
    private colors: ThemeColors,
    private readonly goTo: (worldX: number, worldY: number) => void,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.dataset.testid = 'minimap';
    this.canvas.hidden = true;
    host.append(this.canvas);
    const jump = (e: PointerEvent): void => {
      const r = this.canvas.getBoundingClientRect();
      this.goTo(this.bounds.x + (e.clientX - r.left) / this.sx, this.bounds.y + (e.clientY - r.top) / this.sy);
    };
    this.canvas.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      this.dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      jump(e);
    });
    this.canvas.addEventListener('pointermove', (e) => this.dragging && jump(e));
    this.canvas.addEventListener('pointerup', () => (this.dragging = false));
  }

  /** Shown only when the drawing is much larger than the stage at readable zoom. */
  setScene(scene: Scene | null, show: boolean): void {
    this.scene = scene;
    this.canvas.hidden = !scene || !show;
    this.base = null;
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    this.base = null;
  }

  draw(view: View, stageWidth: number, stageHeight: number): void {
    const scene = this.scene;
    if (!scene || this.canvas.hidden) return;
    const dpr = window.devicePixelRatio || 1;
    const height = Math.max(60, stageHeight - 16);
    if (!this.base || this.base.height !== Math.round(height * dpr)) this.base = this.render(scene, height, dpr);
    this.canvas.width = this.base.width;
    this.canvas.height = this.base.height;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(this.base, 0, 0);
    const x = (-view.tx / view.k - this.bounds.x) * this.sx * dpr;
    const y = (-view.ty / view.k - this.bounds.y) * this.sy * dpr;
    ctx.strokeStyle = this.colors.select;
    ctx.lineWidth = 1.5 * dpr;
    ctx.strokeRect(x, y, Math.max(2, (stageWidth / view.k) * this.sx * dpr), Math.max(2, (stageHeight / view.k) * this.sy * dpr));
  }

  private render(scene: Scene, height: number, dpr: number): HTMLCanvasElement {
    this.bounds = sceneBounds(scene, 0);
    this.sx = WIDTH / this.bounds.width;
    this.sy = height / this.bounds.height;
    const c = document.createElement('canvas');
    c.width = Math.round(WIDTH * dpr);
    c.height = Math.round(height * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return c;
    ctx.fillStyle = this.colors.bg;
    ctx.globalAlpha = 0.85;
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.globalAlpha = 1;
    const sx = this.sx * dpr;
    const sy = this.sy * dpr;
    scene.visible.items.forEach((it, i) => {
      ctx.fillStyle = it.fusion !== null ? this.colors.fusion : this.colors.nodeStroke;
      ctx.fillRect(
        (scene.layout.x[i]! - it.width / 2 - this.bounds.x) * sx,
        (scene.layout.y[i]! - it.height / 2 - this.bounds.y) * sy,
        Math.max(1, it.width * sx),
        Math.max(1, it.height * sy),
      );
    });
    return c;
  }
}
