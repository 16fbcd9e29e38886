// AnalysisCache: per-class reuse after edits, stale results for classes that stop parsing, position queries per call site.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { AnalysisCache, diffEdit } from '../../src/core/interp/analysisCache';
import { spec } from '../support/interpHarness';

before(initTestParser);

const SRC = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        y = self.conv(x)
        return y + x


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.b1 = Block()
        self.b2 = Block()

    def forward(self, x):
        x = self.stem(x)
        x = self.b1(x)
        return self.b2(x)


class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)
`;

const overrides = { Net: [spec('2x3x16x16')], Block: [spec('1x8x4x4')], Other: [spec('3x4')] };

test('diffEdit finds the changed span with rows and columns', () => {
  const e = diffEdit('ab\ncd\nef', 'ab\ncXd\nef');
  assert.deepEqual(e, {
    startIndex: 4,
    oldEndIndex: 4,
    newEndIndex: 5,
    startPosition: { row: 1, column: 1 },
    oldEndPosition: { row: 1, column: 1 },
    newEndPosition: { row: 1, column: 2 },
  });
  assert.equal(diffEdit('same', 'same'), null);
});

test('unchanged classes are reused; a class and its dependents are re-analysed after an edit', () => {
  const cache = new AnalysisCache();
  const a1 = cache.update('doc', { text: SRC, file: '/v/m.py', inputOverrides: overrides });
  const byName = (fa: typeof a1) => new Map(fa.classes.map((c) => [c.name, c]));
  const first = byName(a1);
  assert.ok(first.get('Net')?.graph && first.get('Block')?.graph && first.get('Other')?.graph);
  // Edit inside Other only: Net and Block are the very same objects.
  const a2 = cache.update('doc', { text: SRC.replace('nn.Linear(4, 2)', 'nn.Linear(4, 3)'), file: '/v/m.py', inputOverrides: overrides });
  const second = byName(a2);
  assert.equal(second.get('Net'), first.get('Net'));
  assert.equal(second.get('Block'), first.get('Block'));
  assert.notEqual(second.get('Other'), first.get('Other'));
  const o = second.get('Other')!.graph!;
  assert.deepEqual(
    o.outputs.map((id) => o.values.get(id)?.shape?.map((d) => d.value)),
    [[3, 3]],
  );
  // Edit inside Block: Net uses Block, so both are re-analysed.
  const a3 = cache.update('doc', {
    text: SRC.replace('nn.Linear(4, 2)', 'nn.Linear(4, 3)').replace('return y + x', 'return y * x'),
    file: '/v/m.py',
    inputOverrides: overrides,
  });
  const third = byName(a3);
  assert.notEqual(third.get('Net'), second.get('Net'));
  assert.notEqual(third.get('Block'), second.get('Block'));
  assert.equal(third.get('Other'), second.get('Other'));
  // Same text again: the same analysis object.
  assert.equal(
    cache.update('doc', {
      text: SRC.replace('nn.Linear(4, 2)', 'nn.Linear(4, 3)').replace('return y + x', 'return y * x'),
      file: '/v/m.py',
      inputOverrides: overrides,
    }),
    a3,
  );
});

test('a class that stops parsing keeps its last good analysis, marked stale', () => {
  const cache = new AnalysisCache();
  cache.update('doc', { text: SRC, file: '/v/m.py', inputOverrides: overrides });
  const broken = SRC.replace('return self.fc(x)', 'return self.fc(x');
  const fa = cache.update('doc', { text: broken, file: '/v/m.py', inputOverrides: overrides });
  assert.ok(fa.syntaxErrors.length > 0);
  const other = fa.classes.find((c) => c.name === 'Other');
  assert.ok(other && other.stale && other.broken && other.graph, JSON.stringify(fa.classes.map((c) => [c.name, c.stale, c.broken])));
  const net = fa.classes.find((c) => c.name === 'Net');
  assert.ok(net && !net.stale && net.graph);
  // Fixed again: fresh, not stale.
  const ok = cache.update('doc', { text: SRC, file: '/v/m.py', inputOverrides: overrides });
  assert.ok(ok.classes.every((c) => !c.stale));
});

test('queryAt returns the records of a line per call site and the calls made there', () => {
  const cache = new AnalysisCache();
  cache.update('doc', { text: SRC, file: '/v/m.py', inputOverrides: overrides });
  const line = SRC.split('\n').findIndex((l) => l.includes('y = self.conv(x)'));
  const infos = cache.queryAt('doc', line, 12);
  const net = infos.find((i) => i.className === 'Net');
  assert.ok(net);
  assert.deepEqual(net.bySite.map((s) => s.owner).sort(), ['b1', 'b2']);
  assert.deepEqual(
    net.bySite.map((s) => s.records.map((r) => `${r.var}:${r.shape.map((d) => d.value)}`)),
    [['y:2,8,8,8'], ['y:2,8,8,8']],
  );
  assert.deepEqual(net.calls.map((c) => c.path).sort(), ['b1.conv', 'b2.conv']);
  const block = infos.find((i) => i.className === 'Block');
  assert.deepEqual(
    block?.records.map((r) => r.shape.map((d) => d.value)),
    [[1, 8, 4, 4]],
  );
  assert.deepEqual(cache.queryAt('doc', 0, 0), []);
});

test('lines inserted above a class move its line records with it', () => {
  const cache = new AnalysisCache();
  cache.update('doc', { text: SRC, file: '/v/m.py', inputOverrides: overrides });
  const moved = `"""A docstring."""\n\n${SRC}`;
  const fa = cache.update('doc', { text: moved, file: '/v/m.py', inputOverrides: overrides });
  const line = moved.split('\n').findIndex((l) => l.includes('y = self.conv(x)'));
  const block = fa.classes.find((c) => c.name === 'Block')!;
  assert.deepEqual(
    block.graph!.lines.filter((r) => r.var === 'y').map((r) => r.line),
    [line],
  );
  assert.equal(
    block.range.startLine,
    moved.split('\n').findIndex((l) => l.startsWith('class Block')),
  );
  assert.ok(cache.queryAt('doc', line, 10).some((i) => i.className === 'Net' && i.records.length === 2));
});
