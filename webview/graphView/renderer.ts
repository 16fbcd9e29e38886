// The contract both graph renderers (SVG for small graphs, canvas for large ones) fulfil.
import type { Marks, Scene } from './scene';
import type { ThemeColors } from './themeColors';
import type { View } from './viewport';

export type Hit = { readonly kind: 'item'; readonly index: number } | { readonly kind: 'frame'; readonly scope: string };

export interface Renderer {
  readonly kind: 'svg' | 'canvas';
  setScene(scene: Scene): void;
  setView(view: View): void;
  setMarks(marks: Marks): void;
  setColors(colors: ThemeColors): void;
  /** What a click hit: the DOM target (SVG) or the world point (canvas). */
  hit(target: EventTarget | null, worldX: number, worldY: number): Hit | null;
  dispose(): void;
}

/** Zoom levels below which text is dropped: labels of edges and second lines first, then all text. */
export const LOD_LOW = 0.55;
export const LOD_MIN = 0.28;
