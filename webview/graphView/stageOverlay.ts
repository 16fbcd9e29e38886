// What sits over the graph stage besides the card: a centred message (nothing to show, cancelled, failed) and the layout progress bar with Cancel.
import { button } from '../shared/controls';
import { h } from '../shared/dom';
import type { Strings } from '../shared/strings';

export class StageOverlay {
  private progress: HTMLElement | null = null;
  private message: HTMLElement | null = null;

  constructor(
    private readonly main: HTMLElement,
    private readonly s: Strings,
    private readonly onCancel: () => void,
  ) {}

  showMessage(text: string): void {
    this.hideMessage();
    this.message = h('div', { class: 'message', 'data-testid': 'graph-message' }, text);
    this.main.append(this.message);
  }

  hideMessage(): void {
    this.message?.remove();
    this.message = null;
  }

  showProgress(): void {
    if (this.progress) return;
    this.progress = h(
      'div',
      { class: 'progress', 'data-testid': 'layout-progress', role: 'progressbar' },
      h('span', { class: 'phase' }, `${this.s.layingOut}…`),
      h('div', { class: 'bar' }, h('div', { style: 'width:0%' })),
      button(this.s.cancel, this.onCancel, { testId: 'layout-cancel' }),
    );
    this.main.append(this.progress);
  }

  /** Updates the bar when it is shown (short layouts finish before it appears). */
  updateProgress(fraction: number, phase: string): void {
    if (!this.progress) return;
    const fill = this.progress.querySelector<HTMLElement>('.bar > div');
    if (fill) fill.style.width = `${Math.round(fraction * 100)}%`;
    const label = this.progress.querySelector('.phase');
    if (label) label.textContent = `${this.s.layingOut}… ${phase}`;
    this.progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  }

  hideProgress(): void {
    this.progress?.remove();
    this.progress = null;
  }
}
