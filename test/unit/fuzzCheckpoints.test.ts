// Bounded, seeded fuzzing of the torch checkpoint reader (mutated pickles, zips and legacy files); `npm run fuzz` runs 10,000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, makeContext, runChunk } from '../fuzz/fuzzJobs';

const ctx = makeContext({ ...DEFAULT_CONFIG, binaryLimits: { ...DEFAULT_CONFIG.binaryLimits, maxMs: Number.POSITIVE_INFINITY } });

test('300 mutated checkpoints: each reads or throws CheckpointError, within the allocation bound', () => {
  assert.ok(ctx.pt.length >= 15, ctx.pt.map((s) => s.name).join(', '));
  const r = runChunk(ctx, 'pt', 0, 300, 99);
  assert.equal(r.failure, null, r.failure ? `${r.failure.error}\ncounterexample ${r.failure.counterexample}\n${r.failure.input}` : '');
  assert.equal(r.executions, 300);
  const refused = Object.entries(r.outcomes).filter(([k]) => k !== 'decoded');
  assert.ok(refused.reduce((a, [, n]) => a + n, 0) > 100 && refused.length >= 8, JSON.stringify(r.outcomes));
});
