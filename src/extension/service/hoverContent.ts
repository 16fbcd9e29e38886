// Builds hover Markdown from a cached analysis: variables per call site, module attributes, calls and classes.
import type { GraphNode, LineRecord, ModelGraph, ModuleCall } from '../../core/graph/modelGraph';
import type { Shape } from '../../core/shape/shape';
import { formatShapeConcrete, formatShapeSymbolic, hasSymbols } from '../../core/shape/shape';
import { type DocumentAnalysis, type ModelEntry, rangeContains, type SpecSource } from './analysisTypes';
import { formatCount, formatFlops } from './format';
import { bothShapes, cell, elementCount } from './shapeText';
import { einopsPatternHover } from './einopsHover';

/** Where the mouse is, with the bits of text context the analysis does not carry. */
export interface HoverQuery {
  readonly line: number;
  readonly col: number;
  readonly word: string;
  readonly lineText: string;
  /** Name of the class whose body holds the line, if any. */
  readonly enclosingClass: string | null;
  /** 0-based line of the `def` that holds the line, if any. */
  readonly functionStart: number | null;
}

/** The UI language of the hover: `l10n` is vscode.l10n in the extension (this file stays free of vscode). */
export interface HoverUi {
  readonly l10n: { t(message: string, ...args: (string | number)[]): string };
  /** Fusion one-liners in Chinese. */
  readonly zh: boolean;
}

/** English, for tests and tools: `{0}` placeholders filled in. */
export const ENGLISH_UI: HoverUi = {
  l10n: { t: (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => String(args[Number(i)] ?? m)) },
  zh: false,
};

/** The hover while a document has no analysis yet: never nothing, never a guess. */
export function analysingHover({ l10n }: HoverUi): string {
  return `*${l10n.t('Fusion Lens: analysing this file — the first analysis reads the libraries it imports; shapes show in a moment.')}*`;
}

export function hoverMarkdown(a: DocumentAnalysis, q: HoverQuery, ui: HoverUi = ENGLISH_UI): string | null {
  const { l10n } = ui;
  const parts: string[] = [];
  let stale = false;
  for (const m of a.models) {
    const text = modelHover(m, q, ui);
    if (text) {
      parts.push(a.models.length > 1 && !text.startsWith(`**${m.className}**`) ? `${text}\n\n*${l10n.t('in {0}', m.className)}*` : text);
      stale ||= m.stale;
    }
  }
  if (parts.length === 0) return null;
  const staleNote = `*⚠ ${l10n.t('stale — the class does not parse right now; this is its last good analysis.')}*`;
  return (stale ? [staleNote, ...parts] : parts).join('\n\n---\n\n');
}

function modelHover(m: ModelEntry, q: HoverQuery, ui: HoverUi): string | null {
  if (rangeContains(m.nameRange, q.line, q.col)) return classHover(m, ui);
  const g = m.graph;
  if (!g) return null;
  const attr = /^\s*self\.(\w+)\s*(?::[^=]*)?=(?!=)/.exec(q.lineText);
  if (attr && attr[1] === q.word && q.enclosingClass) return attributeHover(g, q.enclosingClass, m.className, q.word, ui);
  const pattern = einopsPatternHover(g, q.lineText, q.line, q.col);
  if (pattern) return pattern;
  const records = variableRecords(g, q);
  if (records.length > 0) return variableHover(g, records, ui);
  const node = innermostNode(g.nodes, q.line, q.col);
  if (node) return callHover(g, node, q.line, ui);
  return null;
}

/** Records of `word` on this line, else the latest binding of it earlier in the same function. */
function variableRecords(g: ModelGraph, q: HoverQuery): LineRecord[] {
  const named = g.lines.filter((r) => r.var === q.word);
  const here = named.filter((r) => rangeContains(r.range, q.line, q.col) || r.line === q.line);
  if (here.length > 0) return here;
  if (q.functionStart === null) return [];
  const earlier = named.filter((r) => r.line >= q.functionStart! && r.line < q.line);
  if (earlier.length === 0) return [];
  const last = Math.max(...earlier.map((r) => r.line));
  return earlier.filter((r) => r.line === last);
}

function producerOp(g: ModelGraph, valueId: string): string {
  const v = g.values.get(valueId);
  if (!v) return '';
  if (v.source !== 'node' || !v.producer) return v.source;
  const n = g.nodes.find((x) => x.id === v.producer);
  return n ? (n.modulePath ? `${n.op} (${n.modulePath})` : n.op) : '';
}

function variableHover(g: ModelGraph, records: LineRecord[], { l10n }: HoverUi): string {
  const first = records[0]!;
  const head = `**${first.var}**`;
  if (records.length === 1 || records.every((r) => sameShape(r.shape, first.shape) && r.dtype === first.dtype)) {
    const op = producerOp(g, first.value);
    const count = records.length > 1 ? ` · ${l10n.t('same at all {0} call sites', records.length)}` : '';
    return [`${head}${op ? ` · \`${op}\`` : ''}`, shapeLine(first.shape), `${first.dtype} · ${l10n.t('{0} elements', elementCount(first.shape))}${count}`].join(
      '  \n',
    );
  }
  const rows = records.map(
    (r, i) =>
      `| ${cell(r.owner || `#${i + 1}`)} | \`${cell(formatShapeSymbolic(r.shape))}\` | \`${cell(formatShapeConcrete(r.shape))}\` | ${r.dtype} | ${elementCount(r.shape)} | ${cell(producerOp(g, r.value))} |`,
  );
  const header = [l10n.t('call site'), l10n.t('shape'), l10n.t('concrete'), 'dtype', l10n.t('elements'), 'op'];
  return [`${head} · ${l10n.t('{0} call sites', records.length)}`, '', `| ${header.join(' | ')} |`, '|---|---|---|---|---|---|', ...rows].join('\n');
}

function shapeLine(shape: Shape): string {
  return hasSymbols(shape) ? `\`${formatShapeSymbolic(shape)}\` · \`${formatShapeConcrete(shape)}\`` : `\`${formatShapeConcrete(shape)}\``;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d.value === b[i]!.value && formatShapeSymbolic([d]) === formatShapeSymbolic([b[i]!]));
}

/** The smallest node range around the cursor: `self.conv1(x)` inside `torch.relu(self.conv1(x))`. */
function innermostNode(nodes: readonly GraphNode[], line: number, col: number): GraphNode | null {
  let best: GraphNode | null = null;
  let bestSize = Infinity;
  for (const n of nodes) {
    const r = n.range;
    if (!r || !rangeContains(r, line, col)) continue;
    const size = (r.endLine - r.startLine) * 10_000 + (r.endCol - r.startCol);
    if (size < bestSize) {
      best = n;
      bestSize = size;
    }
  }
  return best;
}

function callHover(g: ModelGraph, node: GraphNode, line: number, { l10n }: HoverUi): string {
  // Every node made by the same source range is one call site of that expression.
  const r = node.range!;
  const sites = g.nodes.filter(
    (n) => n.range && n.range.startLine === r.startLine && n.range.startCol === r.startCol && n.range.endLine === r.endLine && n.range.endCol === r.endCol,
  );
  const title = `**${node.op}**${node.modulePath ? ` · \`${node.modulePath}\`` : ''}`;
  const outShape = (n: GraphNode): Shape | null => g.values.get(n.outputs[0] ?? '')?.shape ?? null;
  if (sites.length <= 1) {
    const inputs = node.inputs.map((i) => g.values.get(i)).filter((v) => v && v.source !== 'param' && v.source !== 'const');
    return [
      title,
      `${l10n.t('in')} ${inputs.map((v) => `\`${bothShapes(v!.shape)}\``).join(', ') || '—'}`,
      `${l10n.t('out')} \`${bothShapes(outShape(node))}\``,
      `${node.params > 0 ? `${l10n.t('{0} params', formatCount(node.params))} · ` : ''}${formatFlops(node.flops)}`,
    ].join('  \n');
  }
  const rows = sites.map(
    (n, i) => `| ${cell(n.modulePath ?? n.callPath.join('/') ?? `#${i + 1}`)} | \`${cell(bothShapes(outShape(n)))}\` | ${formatFlops(n.flops)} |`,
  );
  return [
    `${title} · ${l10n.t('{0} call sites (line {1})', sites.length, line + 1)}`,
    '',
    `| ${l10n.t('call site')} | ${l10n.t('output')} | FLOPs |`,
    '|---|---|---|',
    ...rows,
  ].join('\n');
}

/** `self.conv1 = nn.Conv2d(...)`: the module at this attribute in every instance of the class. */
function attributeHover(g: ModelGraph, cls: string, modelClass: string, attr: string, { l10n }: HoverUi): string | null {
  const prefixes = cls === modelClass ? [''] : [...new Set(g.modules.filter((m) => m.type === cls || m.type.endsWith(`.${cls}`)).map((m) => `${m.path}.`))];
  const calls: ModuleCall[] = [];
  for (const p of prefixes) calls.push(...g.modules.filter((m) => m.path === `${p}${attr}`));
  if (calls.length === 0) return null;
  const first = calls[0]!;
  const nodeIds = new Set(calls.flatMap((c) => c.nodes));
  const flops = g.nodes.filter((n) => nodeIds.has(n.id)).reduce((s, n) => s + n.flops, 0);
  const paths = [...new Set(calls.map((c) => c.path))];
  // Containers own no parameters themselves: count the leaves of one call per instance (shared modules once).
  const nodeParams = new Map(g.nodes.map((n) => [n.id, n.params]));
  const params = paths.reduce((s, p) => s + (calls.find((c) => c.path === p)?.nodes ?? []).reduce((t, id) => t + (nodeParams.get(id) ?? 0), 0), 0);
  const head = `**self.${attr}** · \`${first.type}\` · ${l10n.t('{0} params', formatCount(params))} · ${formatFlops(flops)}${paths.length > 1 ? ` (${l10n.t('{0} instances', paths.length)})` : ''}`;
  const io = (c: ModuleCall): string => `${c.in.map((s) => `\`${bothShapes(s)}\``).join(', ')} → ${c.out.map((s) => `\`${bothShapes(s)}\``).join(', ')}`;
  if (calls.length === 1) return `${head}  \n${io(first)}`;
  const rows = calls.map((c) => `| \`${cell(c.path)}\` | ${cell(io(c))} |`);
  return [head, '', `| ${l10n.t('call')} | ${l10n.t('shapes seen')} |`, '|---|---|', ...rows].join('\n');
}

function classHover(m: ModelEntry, { l10n, zh }: HoverUi): string {
  const g = m.graph;
  const head = `**${m.className}**`;
  if (!g) return `${head}  \n${m.error ?? l10n.t('not analysed')}`;
  const inputs = g.inputs.map((i) => `\`${bothShapes(i.shape)}\``).join(', ');
  const outputs = g.outputs.map((o) => `\`${bothShapes(g.values.get(o)?.shape ?? null)}\``).join(', ');
  const spec = m.inputSpec ? `${l10n.t('input spec')} \`${m.inputSpec}\`${m.specSource ? ` (${specSourceText(m.specSource, l10n)})` : ''}` : '';
  const lines = [
    head,
    `${inputs} → ${outputs}`,
    `${l10n.t('{0} params', formatCount(g.paramsTotal))} · ${formatFlops(g.flopsTotal)}${spec ? ` · ${spec}` : ''}`,
  ];
  if (m.fusionNotes.length > 0) {
    lines.push('', `**${l10n.t('Fusion points ({0})', m.fusionNotes.length)}**`);
    for (const f of m.fusionNotes) lines.push(`- ${f.line !== null ? `${l10n.t('line {0}:', f.line + 1)} ` : ''}${zh ? f.textZh : f.text}`);
  } else {
    lines.push('', l10n.t('No fusion points.'));
  }
  return lines.join('  \n').replace(/ {2}\n\n/g, '\n\n');
}

/** Where the input spec came from, in words. */
function specSourceText(source: SpecSource, l10n: HoverUi['l10n']): string {
  switch (source) {
    case 'comment':
      return l10n.t('comment');
    case 'remembered':
      return l10n.t('remembered');
    case 'setting':
      return l10n.t('setting');
    case 'example':
      return l10n.t('example');
    case 'layers':
      return l10n.t('from the layers');
  }
}
