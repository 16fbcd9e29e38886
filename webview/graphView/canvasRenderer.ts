// Canvas renderer for large graphs: one canvas, redrawn once per animation frame, drawing only what is in view.
import { drawScene, edgeBoxes } from './canvasDraw';
import type { Hit, Renderer } from './renderer';
import { NO_MARKS, type Marks, type Scene } from './scene';
import type { ThemeColors } from './themeColors';
import type { View } from './viewport';

export class CanvasRenderer implements Renderer {
  readonly kind = 'canvas';
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private scene: Scene | null = null;
  private boxes: Float64Array = new Float64Array(0);
  private view: View = { tx: 0, ty: 0, k: 1 };
  private marks: Marks = NO_MARKS;
  private frame = 0;
  private readonly resize = new ResizeObserver(() => this.request());

  constructor(
    private readonly host: HTMLElement,
    private colors: ThemeColors,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.dataset.testid = 'graph-canvas';
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('canvas 2d context unavailable');
    this.ctx = ctx;
    host.append(this.canvas);
    this.resize.observe(host);
  }

  setScene(scene: Scene): void {
    this.scene = scene;
    this.boxes = edgeBoxes(scene);
    this.request();
  }

  setView(view: View): void {
    this.view = view;
    this.request();
  }

  setMarks(marks: Marks): void {
    this.marks = marks;
    this.request();
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    this.request();
  }

  hit(_target: EventTarget | null, x: number, y: number): Hit | null {
    const s = this.scene;
    if (!s) return null;
    for (let i = s.visible.items.length - 1; i >= 0; i--) {
      const it = s.visible.items[i]!;
      if (Math.abs(x - s.layout.x[i]!) <= it.width / 2 && Math.abs(y - s.layout.y[i]!) <= it.height / 2) return { kind: 'item', index: i };
    }
    for (let f = s.frames.length - 1; f >= 0; f--) {
      const fr = s.frames[f]!;
      if (x >= fr.x && x <= fr.x + Math.min(fr.width, 200) && y >= fr.y && y <= fr.y + 16) return { kind: 'frame', scope: fr.scope };
    }
    return null;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.canvas.remove();
  }

  private request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = this.host.clientWidth;
    const h = this.host.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this.colors.bg;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (!this.scene) return;
    const { tx, ty, k } = this.view;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
    drawScene(ctx, this.scene, this.marks, this.colors, { x: -tx / k, y: -ty / k, width: w / k, height: h / k }, k, this.boxes);
  }
}
