// SVG renderer for graphs of up to a few thousand boxes: real DOM elements (findable by tests, native tooltips), one transform for pan/zoom.
import type { Hit, Renderer } from './renderer';
import { LOD_LOW, LOD_MIN } from './renderer';
import { NO_MARKS, type Marks, type Scene } from './scene';
import { arrowDefs, edgesMarkup, framesMarkup, nodesMarkup } from './sceneMarkup';
import type { View } from './viewport';

const SVG_NS = 'http://www.w3.org/2000/svg';

export class SvgRenderer implements Renderer {
  readonly kind = 'svg';
  private readonly svg: SVGSVGElement;
  private readonly world: SVGGElement;
  private nodeEls: Element[] = [];
  private marks: Marks = NO_MARKS;

  constructor(private readonly host: HTMLElement) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('data-testid', 'graph-svg');
    this.world = document.createElementNS(SVG_NS, 'g');
    this.svg.append(this.world);
    host.append(this.svg);
  }

  setScene(scene: Scene): void {
    // markup is built from escaped text only (sceneMarkup escapes every payload string)
    this.world.innerHTML = arrowDefs() + framesMarkup(scene) + edgesMarkup(scene, true) + nodesMarkup(scene);
    this.nodeEls = [];
    for (const el of this.world.querySelectorAll('[data-item]')) this.nodeEls[Number(el.getAttribute('data-item'))] = el;
    const m = this.marks;
    this.marks = NO_MARKS;
    this.setMarks(m);
  }

  setView(v: View): void {
    this.world.setAttribute('transform', `translate(${v.tx},${v.ty}) scale(${v.k})`);
    this.svg.classList.toggle('lod-low', v.k < LOD_LOW);
    this.svg.classList.toggle('lod-min', v.k < LOD_MIN);
  }

  setMarks(marks: Marks): void {
    const toggle = (set: ReadonlySet<number>, old: ReadonlySet<number>, cls: string): void => {
      for (const i of old) if (!set.has(i)) this.nodeEls[i]?.classList.remove(cls);
      for (const i of set) this.nodeEls[i]?.classList.add(cls);
    };
    toggle(marks.highlighted, this.marks.highlighted, 'highlight');
    toggle(marks.matches, this.marks.matches, 'match');
    toggle(new Set(marks.selected === null ? [] : [marks.selected]), new Set(this.marks.selected === null ? [] : [this.marks.selected]), 'selected');
    this.marks = marks;
  }

  setColors(): void {
    // colours come from CSS variables; nothing to do
  }

  hit(target: EventTarget | null): Hit | null {
    if (!(target instanceof Element)) return null;
    const toggle = target.closest('[data-scope-toggle]');
    if (toggle) return { kind: 'frame', scope: toggle.getAttribute('data-scope-toggle') ?? '' };
    const item = target.closest('[data-item]');
    return item ? { kind: 'item', index: Number(item.getAttribute('data-item')) } : null;
  }

  dispose(): void {
    this.svg.remove();
  }
}
