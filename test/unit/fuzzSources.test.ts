// Bounded, seeded fuzzing of parse + interpret (analyzeSource and AnalysisCache.update) on damaged model files; `npm run fuzz` runs the large version.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { DEFAULT_CONFIG, makeContext, runChunk, type ChunkResult, type FuzzContext } from '../fuzz/fuzzJobs';
import { classSnippets } from '../fuzz/fuzzCorpus';
import { applyRichMutation } from '../fuzz/sourceMutations';

// Tests never judge wall-clock time: the time limit is lifted (budgets still stop the analyses), everything else holds.
const config = { ...DEFAULT_CONFIG, sourceBudget: { ...DEFAULT_CONFIG.sourceBudget, slackMs: Number.POSITIVE_INFINITY } };
let ctx: FuzzContext;

before(async () => {
  await initTestParser();
  ctx = makeContext(config);
});

function assertPassed(r: ChunkResult): void {
  assert.equal(r.failure, null, r.failure ? `${r.failure.error}\ncounterexample ${r.failure.counterexample}\n${r.failure.input}` : '');
}

test('the corpus holds every example and fixture model, cut into one-class snippets', () => {
  assert.ok(ctx.sources.length >= 30, `${ctx.sources.length} snippets`);
  assert.ok(ctx.sources.some((s) => s.name.startsWith('examples/')) && ctx.sources.some((s) => s.name.startsWith('test/fixtures/models/pkg/')));
  assert.deepEqual(
    classSnippets('import torch\n\nclass A:\n    x = 1\n\nclass B(A):\n    pass\n').map((s) => s.split('\n').filter((l) => l.startsWith('class '))),
    [['class A:'], ['class B(A):']],
  );
});

test('300 damaged sources: analyzeSource never throws, stays within its step budget and explains every missing graph', () => {
  const r = runChunk(ctx, 'source', 0, 300, 424242);
  assertPassed(r);
  assert.equal(r.cases, 300);
  assert.equal(r.executions, 300);
});

test('40 edit sequences through AnalysisCache.update: no exception, and the original text gives the original shapes back', () => {
  const r = runChunk(ctx, 'cache', 0, 40, 424242);
  assertPassed(r);
  assert.ok(r.executions >= 40 * 3);
});

test('thousands of nested brackets are a syntax error, not a stack overflow', () => {
  for (const open of ['(', '[', '{', 'f(', 'not ', '-', 'x.']) {
    const text = applyRichMutation('import torch\n', { kind: 'nest', at: 1, depth: 20_000, open });
    const fa = analyzeSource({ text, file: '/fuzz/deep.py' });
    assert.ok(
      fa.syntaxErrors.some((d) => /nested too deeply/.test(d.message)),
      open,
    );
  }
});

test('a runaway loop and a huge literal end in budget or value diagnostics, with the rest of the file still analysed', () => {
  const text = `import torch.nn as nn\n\nN = ${'9'.repeat(5000)}\n\n# fusion-lens: input=2x4\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n\n    def forward(self, x):\n        while True:\n            x = x + 1\n        return x\n\n# fusion-lens: input=2x4\nclass Ok(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
  const fa = analyzeSource({ text, file: '/fuzz/loop.py', budget: { maxSteps: 20_000, timeMs: 60_000 } });
  const m = fa.classes.find((c) => c.name === 'M')!;
  // The while loop's own iteration guard or the step budget stops it, whichever comes first.
  assert.ok(
    m.diagnostics.some((d) => d.code === 'loop-budget' || d.code === 'budget'),
    JSON.stringify(m.diagnostics.map((d) => d.code)),
  );
  const ok = fa.classes.find((c) => c.name === 'Ok')!;
  assert.deepEqual(
    ok.graph?.outputs.map((id) => ok.graph!.values.get(id)!.shape!.map((d) => d.value)),
    [[2, 3]],
  );
});
