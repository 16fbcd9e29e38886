// fast-check arbitraries that damage Python model files the way half-typed or hostile edits do.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'deleteLine'; at: number }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swapNumber'; at: number; value: string }
  | { kind: 'renameIdentifier'; at: number; name: string }
  | { kind: 'insertLine'; at: number; text: string };

/** Lines that stress the interpreter: loops that never end, deep nesting, huge literals, bad calls. */
const hostileLines = [
  '        while True:\n            x = x + 1',
  '        x = ' + '('.repeat(200) + 'x' + ')'.repeat(200),
  '        x = x.view(' + '9'.repeat(40) + ', -1)',
  '        x = nn.Conv2d(10**30, 3, 3)(x)',
  '        x = torch.cat([x, x], dim=7)',
  '        for i in range(10**12):\n            x = x * 2',
  '        x = self.forward(x)',
  '        x = [x] * 10**9',
  '        return x[None, ..., None, :, 5:-5:2]',
  '        x = x.reshape(-1, -1)',
  '        del self',
  '        import os; os.system("echo pwned")',
  '        x = eval("1+1")',
  '        x: "Tensor" = F.interpolate(x, scale_factor=0)',
  '        x = torch.zeros(2**62, 2**62)',
  '        x = lambda: (yield)',
  '        def f(*a, **k): return f(*a, **k)\n        x = f(x)',
  '\tx = 1',
  ' class Broken(nn.Module',
  '        x = """unterminated',
];

const identifiers = ['x', 'self', 'nn', 'torch', 'F', 'super', 'None', 'feat1', 'conv1', 'forward', '__init__', 'range', 'zzz'];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('swapNumber' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom('0', '-1', '1', '3', '7', '1e9', '2**40', '999999999999', '0.5', '-3'), fc.integer({ min: -5, max: 5000 }).map(String)),
  }),
  fc.record({ kind: fc.constant('renameIdentifier' as const), at: fc.nat(), name: fc.constantFrom(...identifiers) }),
  fc.record({ kind: fc.constant('insertLine' as const), at: fc.nat(), text: fc.constantFrom(...hostileLines) }),
);

/** Applies one mutation; positions are taken modulo the text's size so every value is valid. */
export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'deleteLine':
      lines.splice(m.at % lines.length, 1);
      return lines.join('\n');
    case 'duplicateLine': {
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'insertLine':
      lines.splice(m.at % (lines.length + 1), 0, m.text);
      return lines.join('\n');
    case 'swapNumber': {
      const numbers = [...text.matchAll(/\b\d+(\.\d+)?\b/g)];
      if (numbers.length === 0) return text;
      const hit = numbers[m.at % numbers.length]!;
      return text.slice(0, hit.index) + m.value + text.slice(hit.index! + hit[0].length);
    }
    case 'renameIdentifier': {
      const names = [...text.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)];
      if (names.length === 0) return text;
      const hit = names[m.at % names.length]!;
      return text.slice(0, hit.index) + m.name + text.slice(hit.index! + hit[0].length);
    }
  }
}

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 6 });

export function applyMutations(text: string, ms: readonly Mutation[]): string {
  return ms.reduce(applyMutation, text);
}

// ---------------------------------------------------------------- further damage used by the fuzz runner

export type RichMutation =
  | Mutation
  | { kind: 'insertChar'; at: number; ch: string }
  | { kind: 'reindent'; at: number; spaces: number }
  | { kind: 'nest'; at: number; depth: number; open: string }
  | { kind: 'hugeLiteral'; at: number; digits: number };

const damageChars = ['(', ')', '[', ']', '{', '}', ':', ',', '"', "'", '\\', '#', '=', '.', '*', '@', '\t', '\n', ' ', '\u00e9', '\u{1F600}', '\0'];

export const richMutationArb: fc.Arbitrary<RichMutation> = fc.oneof(
  { arbitrary: mutationArb, weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('insertChar' as const), at: fc.nat(), ch: fc.constantFrom(...damageChars) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('reindent' as const), at: fc.nat(), spaces: fc.integer({ min: 0, max: 13 }) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at: fc.nat(),
      depth: fc.integer({ min: 1, max: 3000 }),
      open: fc.constantFrom('(', '[', '{', 'not ', '-', 'x.', 'f('),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('hugeLiteral' as const), at: fc.nat(), digits: fc.integer({ min: 20, max: 20000 }) }), weight: 1 },
);

export const richMutationsArb = fc.array(richMutationArb, { minLength: 1, maxLength: 6 });

const closer: Record<string, string> = { '(': ')', '[': ']', '{': '}', 'f(': ')' };

/** Applies one mutation of the wider set (the lead's kinds go through applyMutation). */
export function applyRichMutation(text: string, m: RichMutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'insertChar': {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.ch + text.slice(i);
    }
    case 'reindent': {
      const i = m.at % lines.length;
      lines[i] = ' '.repeat(m.spaces) + lines[i]!.trimStart();
      return lines.join('\n');
    }
    case 'nest': {
      // A deeply nested expression in a forward-like line: unbalanced when the opener has no closer.
      const expr = m.open.repeat(m.depth) + 'x' + (closer[m.open] ?? '').repeat(m.depth);
      lines.splice(m.at % (lines.length + 1), 0, `        x = ${expr}`);
      return lines.join('\n');
    }
    case 'hugeLiteral': {
      const lit = '7'.repeat(m.digits);
      lines.splice(m.at % (lines.length + 1), 0, m.at % 2 ? `        x = x.view(${lit}, -1)` : `N = ${lit}`);
      return lines.join('\n');
    }
    default:
      return applyMutation(text, m);
  }
}

export function applyRichMutations(text: string, ms: readonly RichMutation[]): string {
  return ms.reduce(applyRichMutation, text);
}
