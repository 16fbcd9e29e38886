// Every registry entry has a role (what fusion analysis, depth counting and diagnostics read), and the roles are right.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { allFunctionOps, allModuleOps, opRole, roleOfKey } from '../../src/core/ops/index';
import type { OpDef } from '../../src/core/ops/types';

const KINDS = new Set([
  'concat',
  'stack',
  'add',
  'sub',
  'mul',
  'div',
  'sum',
  'matmul',
  'softmax',
  'sigmoid',
  'mha',
  'sdpa',
  'conv',
  'convT',
  'linear',
  'embedding',
  'weighted',
  'norm',
  'pool',
  'interpolate',
  'pad',
  'shuffle',
  'layout',
  'dropout',
  'reduce',
  'other',
]);

/** Families whose every entry is a layer or a resampler of a known kind: `other` there means the role is missing. */
const NEVER_OTHER = new Set(['conv', 'linear', 'embedding', 'recurrent', 'norm', 'pool', 'pad', 'attention', 'dropout']);

const key = (d: OpDef) => (d.kind === 'module' ? `nn.${d.type}` : d.name);
const all: OpDef[] = [...allModuleOps(), ...allFunctionOps()];

test('every registry entry has a role of a known kind', () => {
  const bad = all.filter((d) => !KINDS.has(opRole(d)?.kind)).map(key);
  assert.deepEqual(bad, []);
});

test('entries of layer families have a role that says what they are (no "other")', () => {
  const bad = all.filter((d) => NEVER_OTHER.has(d.family) && opRole(d).kind === 'other').map((d) => `${d.family}: ${key(d)}`);
  assert.deepEqual(bad, []);
});

test('roles by example: layers, norms, resamplers, merges; torch.norm and the normal_ samplers are not norms', () => {
  const kind = (k: string) => roleOfKey(k).kind;
  assert.equal(kind('nn.Conv2d'), 'conv');
  assert.equal(kind('nn.ConvTranspose2d'), 'convT');
  assert.equal(kind('nn.Linear'), 'linear');
  assert.equal(kind('nn.BatchNorm2d'), 'norm');
  assert.equal(kind('F.layer_norm'), 'norm');
  assert.equal(kind('torch.cat'), 'concat');
  assert.equal(kind('op.iadd'), 'add');
  assert.deepEqual(roleOfKey('nn.MaxPool2d'), { kind: 'pool', detail: 'max', rank: 2 });
  assert.deepEqual(roleOfKey('F.adaptive_avg_pool1d'), { kind: 'pool', detail: 'adaptive-avg', rank: 1 });
  assert.equal(roleOfKey('Tensor.permute').detail, 'permute');
  assert.equal(roleOfKey('Tensor.size').detail, 'shape');
  for (const k of ['torch.norm', 'Tensor.norm', 'Tensor.normal_', 'Tensor.log_normal_']) assert.notEqual(kind(k), 'norm', k);
  // einops states its roles: Rearrange moves axes, EinMix is a weighted layer, pack joins.
  assert.equal(kind('nn.Rearrange'), 'layout');
  assert.equal(kind('nn.EinMix'), 'linear');
  assert.equal(kind('einops.pack'), 'concat');
});

test('ONNX nodes get roles from the ONNX op table', () => {
  assert.equal(roleOfKey('onnx.Conv').kind, 'conv');
  assert.equal(roleOfKey('onnx.Gemm').kind, 'linear');
  assert.deepEqual(roleOfKey('onnx.Gather'), { kind: 'layout', detail: 'gather' });
  assert.equal(roleOfKey('onnx.Shape').detail, 'shape');
  assert.equal(roleOfKey('onnx.BatchNormalization').kind, 'norm');
});

/**
 * Entries without a case in test/fixtures/ops/op_cases.json, each with the reason it cannot be recorded there
 * (the generator feeds random normals to Debian's torch 1.13 on CPU). Anything else must have a recorded case.
 */
const UNRECORDED: Record<string, string> = {
  'nn.NonDynamicallyQuantizableLinear': 'not in torch.nn (MultiheadAttention.out_proj); its Linear rule is covered as nn.Linear',
  'nn.SyncBatchNorm': 'forward needs a process group / GPU',
  'nn.BCELoss': 'value-dependent: inputs must be probabilities',
  'torch.bernoulli': 'value-dependent: inputs must be probabilities',
  'Tensor.bernoulli': 'value-dependent: inputs must be probabilities',
  'F.scaled_dot_product_attention': 'not in torch 1.13 (the fixture generator); checked by the attention oracle cases',
  'Tensor.cuda': 'needs a GPU',
  'Tensor.__setitem__': 'a statement, not a call; checked by test/unit/onnxSetitem.test.ts',
  'torch.nonzero': 'data-dependent output size',
  'Tensor.nonzero': 'data-dependent output size',
  'torch.masked_select': 'data-dependent output size',
  'Tensor.masked_select': 'data-dependent output size',
};
/** Families recorded by their own generators (einops: the oracle fixtures of test/oracle with the einops library). */
const OWN_GENERATOR = new Set(['einops']);
/** Families whose entries state their role themselves (they are not torch's, so no key convention applies). */
const STATED_ROLE = new Set(['einops']);

test('families outside torch state their roles', () => {
  const bad = all.filter((d) => STATED_ROLE.has(d.family) && !d.role).map(key);
  assert.deepEqual(bad, []);
});

test('every registry entry has a recorded torch case (or a stated reason it cannot have one)', () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/ops/op_cases.json'), 'utf8')) as { cases: { op: string }[] };
  // Lazy layers are recorded by their own generator (test/fixtures/ops/gen_lazy_cases.py; they take shape at the first call).
  const lazy = JSON.parse(readFileSync(join(__dirname, '../fixtures/ops/lazy_cases.json'), 'utf8')) as { cases: { class: string }[] };
  const recorded = new Set([...fixture.cases.map((c) => c.op), ...lazy.cases.map((c) => c.class)]);
  const has = (d: OpDef) => (d.kind === 'module' ? recorded.has(d.type) : [d.name, ...(d.aliases ?? [])].some((k) => recorded.has(k)));
  const missing = all.filter((d) => !has(d) && !OWN_GENERATOR.has(d.family) && !UNRECORDED[key(d)]).map(key);
  assert.deepEqual(missing, []);
  const stale = Object.keys(UNRECORDED).filter((k) => !all.some((d) => key(d) === k) || all.some((d) => key(d) === k && has(d)));
  assert.deepEqual(stale, [], 'exceptions that are recorded now or no longer registered');
});
