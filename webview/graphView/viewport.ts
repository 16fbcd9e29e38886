// Pan and zoom of the graph stage: drag to pan, wheel or pinch to zoom around the pointer, keys for zoom/fit; clicks are told apart from drags.
import type { Rect } from './scene';

export interface View {
  readonly tx: number;
  readonly ty: number;
  readonly k: number;
}

export interface ViewportEvents {
  readonly onChange: (view: View) => void;
  /** A click that was not a drag, with its world coordinates. */
  readonly onClick: (target: EventTarget | null, worldX: number, worldY: number) => void;
  readonly onKey?: (key: string) => void;
}

const MIN_K = 0.01;
const MAX_K = 4;
const DRAG_THRESHOLD = 4;

export class Viewport {
  private view: View = { tx: 0, ty: 0, k: 1 };
  private drag: { id: number; x: number; y: number; tx: number; ty: number; moved: boolean } | null = null;

  constructor(
    private readonly el: HTMLElement,
    private readonly events: ViewportEvents,
  ) {
    el.tabIndex = 0;
    el.addEventListener('pointerdown', (e) => this.down(e));
    el.addEventListener('pointermove', (e) => this.move(e));
    el.addEventListener('pointerup', (e) => this.up(e));
    el.addEventListener('pointercancel', () => this.endDrag());
    el.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    el.addEventListener('keydown', (e) => this.key(e));
  }

  get current(): View {
    return this.view;
  }

  set(view: View): void {
    this.view = { tx: view.tx, ty: view.ty, k: clamp(view.k, MIN_K, MAX_K) };
    this.events.onChange(this.view);
  }

  size(): { width: number; height: number } {
    return { width: this.el.clientWidth || 1, height: this.el.clientHeight || 1 };
  }

  /** The world rectangle on screen. */
  visibleWorld(): Rect {
    const { width, height } = this.size();
    const { tx, ty, k } = this.view;
    return { x: -tx / k, y: -ty / k, width: width / k, height: height / k };
  }

  /**
   * Whole drawing in view (never zooming in past 1). With `readable`, a tall narrow drawing is shown at the
   * width-fitting zoom (up to 0.6) from its top instead of shrunk to an unreadable strip.
   */
  fit(bounds: Rect, readable = false): void {
    const { width, height } = this.size();
    const whole = Math.min(width / bounds.width, height / bounds.height, 1);
    const k = clamp(readable ? Math.max(whole, Math.min(width / bounds.width, 0.6)) : whole, MIN_K, MAX_K);
    const ty = bounds.height * k <= height ? (height - bounds.height * k) / 2 : 0;
    this.set({ k, tx: (width - bounds.width * k) / 2 - bounds.x * k, ty: ty - bounds.y * k });
  }

  /** Centres a rectangle, zooming in to at least `minK` so the node is readable. */
  reveal(r: Rect, minK = 0.8): void {
    const { width, height } = this.size();
    const k = Math.max(this.view.k, minK);
    this.set({ k, tx: width / 2 - (r.x + r.width / 2) * k, ty: height / 2 - (r.y + r.height / 2) * k });
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    const { width, height } = this.size();
    const px = cx ?? width / 2;
    const py = cy ?? height / 2;
    const k = clamp(this.view.k * factor, MIN_K, MAX_K);
    const f = k / this.view.k;
    this.set({ k, tx: px - (px - this.view.tx) * f, ty: py - (py - this.view.ty) * f });
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, tx: this.view.tx, ty: this.view.ty, moved: false };
  }

  private move(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!d.moved) {
      d.moved = true;
      this.el.setPointerCapture(e.pointerId);
      this.el.classList.add('panning');
    }
    this.set({ k: this.view.k, tx: d.tx + dx, ty: d.ty + dy });
  }

  private up(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    this.endDrag();
    if (!d.moved) {
      const box = this.el.getBoundingClientRect();
      const { tx, ty, k } = this.view;
      this.events.onClick(e.target, (e.clientX - box.left - tx) / k, (e.clientY - box.top - ty) / k);
    }
  }

  private endDrag(): void {
    this.drag = null;
    this.el.classList.remove('panning');
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const box = this.el.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey || Math.abs(e.deltaY) > Math.abs(e.deltaX) * 2) {
      // wheel and pinch zoom around the pointer; trackpad two-finger scroll with sideways motion pans
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      this.zoomBy(Math.exp(-delta * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - box.left, e.clientY - box.top);
    } else {
      this.set({ k: this.view.k, tx: this.view.tx - e.deltaX, ty: this.view.ty - e.deltaY });
    }
  }

  private key(e: KeyboardEvent): void {
    const step = 60;
    const v = this.view;
    switch (e.key) {
      case '+':
      case '=':
        this.zoomBy(1.25);
        break;
      case '-':
      case '_':
        this.zoomBy(0.8);
        break;
      case 'ArrowLeft':
        this.set({ ...v, tx: v.tx + step });
        break;
      case 'ArrowRight':
        this.set({ ...v, tx: v.tx - step });
        break;
      case 'ArrowUp':
        this.set({ ...v, ty: v.ty + step });
        break;
      case 'ArrowDown':
        this.set({ ...v, ty: v.ty - step });
        break;
      default:
        this.events.onKey?.(e.key);
        return;
    }
    e.preventDefault();
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
