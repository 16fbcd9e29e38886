// Each module's declared default-init rule against the statistics of PyTorch's actual initialisation (op_cases.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleOp } from '../../src/core/ops/index';
import { InitRule, TensorSpec } from '../../src/core/ops/types';
import { Decoder, bind } from '../support/opsHarness';

interface Case {
  id: string;
  kind: string;
  op: string;
  ctor: unknown[];
  ctor_kwargs: Record<string, unknown>;
  error?: { phase: string };
  state?: [string, number[], string][];
  init?: [number, number, number, number][];
}

const cases = (JSON.parse(readFileSync(join(__dirname, '../fixtures/ops/op_cases.json'), 'utf8')) as { cases: Case[] }).cases.filter(
  (c) => c.kind === 'module' && c.init && !c.error,
);

/** The bound of a uniform rule, or the std of a normal one. */
function spread(rule: InitRule): { uniform?: number; normal?: number; mean?: number; exact?: number } {
  switch (rule.kind) {
    case 'kaiming_uniform':
      return { uniform: Math.sqrt(2 / (1 + rule.a * rule.a)) * Math.sqrt(3 / rule.fanIn) };
    case 'uniform':
      return { uniform: rule.bound };
    case 'xavier_uniform':
      return { uniform: Math.sqrt(6 / (rule.fanIn + rule.fanOut)) };
    case 'normal':
      return { normal: rule.std, mean: rule.mean ?? 0 };
    case 'xavier_normal':
      return { normal: Math.sqrt(2 / (rule.fanIn + rule.fanOut)), mean: 0 };
    case 'ones':
      return { exact: 1 };
    case 'zeros':
      return { exact: 0 };
    case 'constant':
      return { exact: rule.value };
  }
}

function check(spec: TensorSpec, stats: [number, number, number, number], where: string): void {
  const [min, max, mean, std] = stats;
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const s = spread(spec.init);
  if (s.exact !== undefined) {
    assert.ok(Math.abs(min - s.exact) < 1e-6 && Math.abs(max - s.exact) < 1e-6, `${where}: expected all ${s.exact}, got [${min}, ${max}]`);
  } else if (s.uniform !== undefined) {
    const b = s.uniform;
    assert.ok(Math.max(-min, max) <= b * (1 + 1e-5), `${where}: values reach ${Math.max(-min, max)} beyond the bound ${b}`);
    if (n >= 64) assert.ok(Math.max(-min, max) >= 0.75 * b, `${where}: values stay within ${Math.max(-min, max)}, far inside the bound ${b}`);
    if (n >= 256) assert.ok(Math.abs(std - b / Math.sqrt(3)) <= 0.15 * b, `${where}: std ${std} does not match U(±${b})`);
  } else if (s.normal !== undefined) {
    // A zeroed padding row barely moves the statistics of a large table.
    if (n >= 256) {
      assert.ok(Math.abs(std - s.normal) <= 0.15 * s.normal, `${where}: std ${std} vs ${s.normal}`);
      assert.ok(Math.abs(mean - (s.mean ?? 0)) <= 0.15 * s.normal, `${where}: mean ${mean}`);
    } else {
      assert.ok(Math.max(-min, max) <= 6 * s.normal, `${where}: |x| up to ${Math.max(-min, max)} for std ${s.normal}`);
    }
  }
}

test(`declared init rules match PyTorch's default initialisation (${cases.length} module cases)`, () => {
  let checked = 0;
  for (const c of cases) {
    const def = moduleOp(c.op);
    assert.ok(def, c.op);
    const dec = new Decoder(false);
    const attrs = bind(
      def.ctor,
      c.ctor.map((a) => dec.decode(a)),
      Object.fromEntries(Object.entries(c.ctor_kwargs).map(([k, v]) => [k, dec.decode(v)])),
    );
    const specs = [...def.tensors(attrs), ...(def.submodules?.(attrs) ?? []).flatMap((s) => s.tensors.map((t) => ({ ...t, name: `${s.name}.${t.name}` })))];
    assert.equal(specs.length, c.init!.length, `${c.id}: number of state entries`);
    specs.forEach((spec, i) => {
      check(spec, c.init![i], `${c.id} ${spec.name} (${spec.init.kind})`);
      checked++;
    });
  }
  assert.ok(checked > 150, `only ${checked} tensors checked`);
});

test('the init check itself rejects a wrong rule', () => {
  const c = cases.find((x) => x.id === 'linear_large_init');
  assert.ok(c && c.init);
  const wrong: TensorSpec = { name: 'weight', shape: [128, 256], dtype: 'float32', role: 'param', init: { kind: 'uniform', bound: 1 } };
  assert.throws(() => check(wrong, c.init![0], 'wrong'));
  const zeros: TensorSpec = { ...wrong, init: { kind: 'zeros' } };
  assert.throws(() => check(zeros, c.init![0], 'zeros'));
});
