// Damaged and hostile model sources: the analysis always returns (budgets stop loops and recursion) and never throws.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initTestParser } from '../support/pythonWasm';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { AnalysisCache } from '../../src/core/interp/analysisCache';
import { applyMutations, mutationsArb } from '../fuzz/sourceMutations';

before(initTestParser);

const BASE = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        feat1 = F.relu(self.bn(self.conv1(x)))
        return x + feat1


class Net(nn.Module):
    def __init__(self, depth=3):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.blocks = nn.Sequential(*[Block() for _ in range(depth)])
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


if __name__ == "__main__":
    x = torch.randn(2, 3, 32, 32)
    print(Net()(x).shape)
`;

test('mutated sources never throw and always give an analysis', () => {
  fc.assert(
    fc.property(mutationsArb, (ms) => {
      const text = applyMutations(BASE, ms);
      const fa = analyzeSource({ text, file: '/v/m.py', budget: { maxSteps: 50000, timeMs: 500 } });
      assert.ok(Array.isArray(fa.classes) && Array.isArray(fa.syntaxErrors));
      for (const c of fa.classes) assert.ok(c.graph === null || Array.isArray(c.graph.modules));
    }),
    { numRuns: 120, seed: 20261128 },
  );
});

test('an edit sequence through the cache never throws, and the original text gives the original result back', () => {
  const cache = new AnalysisCache();
  const first = cache.update('d', { text: BASE, file: '/v/m.py' });
  fc.assert(
    fc.property(mutationsArb, (ms) => {
      cache.update('d', { text: applyMutations(BASE, ms), file: '/v/m.py', budget: { maxSteps: 50000, timeMs: 500 } });
    }),
    { numRuns: 40, seed: 7 },
  );
  const again = cache.update('d', { text: BASE, file: '/v/m.py' });
  const shapes = (fa: typeof first) =>
    fa.classes.map((c) => `${c.name}:${c.graph?.outputs.map((id) => c.graph!.values.get(id)?.shape?.map((d) => d.value)).join('|')}`);
  assert.deepEqual(shapes(again), shapes(first));
  assert.ok(again.classes.every((c) => !c.stale));
});
