// Diagnostics: shape errors with cause, range and fixes; unsupported constructs and unknown names never stop the analysis.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { analyzeSrc, graphOf, runModelSrc } from '../support/interpHarness';
import type { Diagnostic } from '../../src/core/graph/modelGraph';

before(initTestParser);

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function lineOf(src: string, needle: string): number {
  const i = src.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `sample lacks ${needle}`);
  return i;
}

function only(ds: readonly Diagnostic[], code: string): Diagnostic {
  const hits = ds.filter((d) => d.code === code);
  assert.equal(hits.length, 1, `one ${code} diagnostic expected, got: ${ds.map((d) => `${d.code}: ${d.message}`).join(' | ')}`);
  return hits[0];
}

test('cat mismatch names the inputs and dims, at the call', () => {
  const src = `${HEAD}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3, stride=2, padding=1)

    def forward(self, x):
        y = self.a(x)
        z = torch.cat([x, y], dim=1)
        return z
`;
  const m = runModelSrc(src, 'M()', ['1x3x8x8']);
  const d = only(m.diagnostics, 'cat-mismatch');
  assert.equal(d.severity, 'error');
  assert.equal(d.range?.startLine, lineOf(src, 'torch.cat'));
  assert.match(d.message, /8|4/);
  // The rest still resolves: y has its shape.
  assert.ok(graphOf(m).lines.some((r) => r.var === 'y'));
});

test('conv input-channel mismatch and broadcasting failure', () => {
  const src = `${HEAD}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 1)
        self.c2 = nn.Conv2d(16, 8, 1)

    def forward(self, x):
        a = self.c1(x)
        b = self.c2(a)
        c = a + x
        return a
`;
  const m = runModelSrc(src, 'M()', ['1x3x8x8']);
  const conv = only(m.diagnostics, 'conv-channels');
  assert.equal(conv.range?.startLine, lineOf(src, 'b = self.c2(a)'));
  assert.match(conv.message, /16/);
  const bc = only(m.diagnostics, 'broadcast');
  assert.equal(bc.range?.startLine, lineOf(src, 'c = a + x'));
  assert.deepEqual(graphOf(m).outputs.length, 1);
});

test('Linear in_features mismatch says what would fit and offers a fix replacing the literal', () => {
  const src = `${HEAD}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        x = self.conv(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)
`;
  const m = runModelSrc(src, 'M()', ['2x3x32x32']);
  const d = only(m.diagnostics, 'linear-in-features');
  assert.equal(d.range?.startLine, lineOf(src, 'return self.fc(x)'));
  assert.match(d.hint ?? '', /2048/);
  assert.ok(d.fix, 'a quick fix');
  assert.equal(d.fix.text, '2048');
  const fixLine = lineOf(src, 'nn.Linear(8 * 8 * 8');
  assert.equal(d.fix.range.startLine, fixLine);
  assert.equal(src.split('\n')[fixLine].slice(d.fix.range.startCol, d.fix.range.endCol), '8 * 8 * 8');
  // The input-size statement: this Linear only admits 16x16 inputs.
  assert.match(only(m.diagnostics, 'input-constraint').message, /16×16/);
});

test('view/reshape element-count mismatch', () => {
  const src = `${HEAD}
class M(nn.Module):
    def forward(self, x):
        y = x.reshape(2, 5, -1)
        return x.view(3, 7)
`;
  const m = runModelSrc(src, 'M()', ['2x3x4']);
  const ds = m.diagnostics.filter((d) => d.code === 'view-mismatch');
  assert.equal(ds.length, 2, JSON.stringify(m.diagnostics));
  assert.deepEqual(
    ds.map((d) => d.range?.startLine),
    [lineOf(src, 'reshape'), lineOf(src, 'x.view(3, 7)')],
  );
});

test('unknown imports, unknown names and unsupported constructs make unknowns but independent values still resolve', () => {
  const src = `${HEAD}import timm
from einops import rearrange
from .missing import Thing


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)
        self.drop = timm.layers.DropPath(0.1)
        self.other = Thing()

    def forward(self, x):
        y = self.conv(x)
        z = rearrange(y, "b c h w -> b (h w) c")
        w = undefined_helper(y)
        async_thing = [v async for v in y] if False else None
        q = y.sum(1)
        return q
`;
  const m = runModelSrc(src, 'M()', ['1x3x8x8']);
  const g = graphOf(m);
  const codes = new Set(m.diagnostics.map((d) => d.code));
  assert.ok(codes.has('unknown-import'), [...codes].join());
  assert.ok(codes.has('unknown-name'));
  assert.deepEqual(
    g.lines.filter((r) => r.var === 'q').map((r) => r.shape.map((d) => d.value)),
    [[1, 8, 8]],
  );
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[1, 8, 8]],
  );
  // einops is built in (the op registry provides it), so its call has a shape even among unknown imports.
  assert.deepEqual(
    g.lines.filter((r) => r.var === 'z').map((r) => r.shape.map((d) => d.value)),
    [[1, 64, 8]],
  );
});

test('never hangs or throws: infinite loops, deep recursion and garbage stop at budgets with a diagnostic', () => {
  const src = `${HEAD}
def again(n):
    return again(n + 1)


class Loop(nn.Module):
    def forward(self, x):
        i = 0
        while True:
            i += 1
        return x


class Rec(nn.Module):
    def forward(self, x):
        again(0)
        return x * 2


class Broken(nn.Module):
    def forward(self, x:
        return x
`;
  const fa = analyzeSrc(src, { budget: { maxSteps: 200000, timeMs: 3000 }, inputOverrides: { Loop: [spec1()], Rec: [spec1()] } });
  const loop = fa.classes.find((c) => c.name === 'Loop');
  assert.ok(loop?.diagnostics.some((d) => d.code === 'loop-budget' || d.code === 'budget'));
  const rec = fa.classes.find((c) => c.name === 'Rec');
  assert.ok(
    rec?.diagnostics.some((d) => d.code === 'recursion'),
    JSON.stringify(rec?.diagnostics),
  );
  assert.deepEqual(
    rec?.graph?.outputs.map((id) => rec.graph!.values.get(id)?.shape?.map((d) => d.value)),
    [[2, 3]],
  );
  assert.ok(fa.syntaxErrors.length > 0);
  assert.equal(fa.syntaxErrors[0].range?.startLine, lineOf(src, 'def forward(self, x:'));
});

function spec1() {
  return { name: null, dims: [2, 3], dtype: 'float32' as const };
}

test('an exhausted call stack is told apart from other range errors (it becomes a too-deep warning, not an internal error)', async () => {
  const { isStackExhausted, TOO_DEEP } = await import('../../src/core/interp/interpreter');
  const recurse = (n: number): number => recurse(n + 1) + 1;
  let overflow: unknown = null;
  try {
    recurse(0);
  } catch (e) {
    overflow = e;
  }
  assert.ok(isStackExhausted(overflow));
  assert.ok(!isStackExhausted(new RangeError('Invalid array length')));
  assert.ok(!isStackExhausted(new Error('Maximum call stack size exceeded')), 'only the RangeError V8 throws');
  assert.match(TOO_DEEP, /nests too deeply/);
});
