// The one module that uses @vscode/webview-ui-toolkit (deprecated upstream): every button, text field and dropdown is made here, so replacing the toolkit touches only this file.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField(), vsCodeDropdown(), vsCodeOption(), vsCodeCheckbox(), vsCodeProgressRing());
}

/** A toolkit element with a value (text field, dropdown, checkbox). */
export type ValueElement = HTMLElement & { value: string; checked?: boolean };

interface Common {
  readonly testId?: string;
  readonly title?: string;
}

function apply(el: HTMLElement, c: Common): void {
  if (c.testId) el.dataset.testid = c.testId;
  if (c.title) el.title = c.title;
}

export function button(label: string, onClick: () => void, opts: Common & { readonly appearance?: 'primary' | 'secondary' | 'icon' } = {}): HTMLElement {
  register();
  const el = document.createElement('vscode-button');
  el.setAttribute('appearance', opts.appearance ?? 'secondary');
  el.textContent = label;
  if (opts.appearance === 'icon') el.setAttribute('aria-label', opts.title ?? label);
  apply(el, opts);
  el.addEventListener('click', onClick);
  return el;
}

export function textField(
  onInput: (value: string) => void,
  opts: Common & { readonly placeholder?: string; readonly value?: string; readonly size?: number } = {},
): ValueElement {
  register();
  const el = document.createElement('vscode-text-field') as ValueElement;
  if (opts.placeholder) el.setAttribute('placeholder', opts.placeholder);
  if (opts.size) el.setAttribute('size', String(opts.size));
  if (opts.value !== undefined) el.setAttribute('value', opts.value);
  apply(el, opts);
  el.addEventListener('input', () => onInput(el.value));
  return el;
}

export function dropdown(
  options: readonly { readonly value: string; readonly label: string }[],
  onChange: (value: string) => void,
  opts: Common & { readonly value?: string } = {},
): ValueElement {
  register();
  const el = document.createElement('vscode-dropdown') as ValueElement;
  for (const o of options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === opts.value) opt.setAttribute('selected', '');
    el.append(opt);
  }
  apply(el, opts);
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

export function checkbox(label: string, onChange: (checked: boolean) => void, opts: Common & { readonly checked?: boolean } = {}): ValueElement {
  register();
  const el = document.createElement('vscode-checkbox') as ValueElement;
  el.textContent = label;
  if (opts.checked) el.setAttribute('checked', '');
  apply(el, opts);
  el.addEventListener('change', () => onChange(Boolean(el.checked)));
  return el;
}

export function progressRing(opts: Common = {}): HTMLElement {
  register();
  const el = document.createElement('vscode-progress-ring');
  apply(el, opts);
  return el;
}
