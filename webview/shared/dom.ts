// A tiny element builder: text always goes in as text nodes, never as HTML.

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return el;
}

/** A two-column table of label → value rows (rows with an empty value are left out). */
export function propertyTable(rows: readonly (readonly [string, Child])[]): HTMLTableElement {
  const table = h('table');
  for (const [k, v] of rows) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    table.append(h('tr', {}, h('th', {}, k), h('td', {}, v)));
  }
  return table;
}
