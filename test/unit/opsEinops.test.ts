// Every case of test/fixtures/ops/einops_cases.json (recorded from the real einops on torch) through the einops op family,
// with concrete and with symbolic input sizes: same output shapes, or the same error einops raises.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evalDim, symDim, dim } from '../../src/core/shape/dim';
import { functionOp, moduleOp } from '../../src/core/ops/index';
import { providesPythonModule, pythonModuleMember } from '../../src/core/ops/registry';
import { EinopsFailure, einopsRecipe } from '../../src/core/ops/einopsPattern';
import { ShapeError } from '../../src/core/ops/types';
import { PyValue } from '../../src/core/ops/values';
import { Decoder, bind, makeCtx } from '../support/opsHarness';

interface Case {
  id: string;
  kind: 'module' | 'function';
  op: string;
  ctor?: unknown[];
  ctor_kwargs?: Record<string, unknown>;
  args: unknown[];
  kwargs: Record<string, unknown>;
  out?: unknown;
  error?: { type: string; message: string; phase: string };
  state?: [string, number[]][];
  submodules?: [string, string][];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/ops/einops_cases.json'), 'utf8')) as {
  einops_version: string;
  torch_version: string;
  cases: Case[];
};

function encode(v: PyValue): unknown {
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
      return v.value;
    case 'int':
      return v.dim.value;
    case 'str':
      return v.value;
    case 'tensor':
      return { t: v.shape ? v.shape.map((d) => d.value) : null, dtype: v.dtype };
    case 'tuple':
      return v.isSize ? v.items.map(encode) : { tuple: v.items.map(encode) };
    case 'list':
      return v.items.map(encode);
    case 'dict':
      return { dict: Object.fromEntries([...v.entries].map(([k, x]) => [k, encode(x)])) };
    default:
      return `<${v.kind}>`;
  }
}

function checkConsistent(v: PyValue, where: string): void {
  if (v.kind === 'tensor' && v.shape) {
    v.shape.forEach((d, i) => {
      if (d.expr) assert.equal(evalDim(d, new Map()), d.value, `${where}: dim ${i} expression disagrees with its value`);
    });
  } else if (v.kind === 'int' && v.dim.expr) assert.equal(evalDim(v.dim, new Map()), v.dim.value, `${where}: int expression disagrees`);
  else if (v.kind === 'tuple' || v.kind === 'list') v.items.forEach((x, i) => checkConsistent(x, `${where}[${i}]`));
  else if (v.kind === 'dict') for (const [k, x] of v.entries) checkConsistent(x, `${where}.${k}`);
}

function decodeArg(dec: Decoder, v: unknown): PyValue {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'callable' in v)
    return { kind: 'object', typeName: 'function', ref: (v as { callable: string }).callable };
  return dec.decode(v);
}

function runCase(c: Case, symbolic: boolean): { out: PyValue; state?: [string, number[]][]; subs?: [string, string][] } {
  const dec = new Decoder(symbolic);
  const ctx = makeCtx();
  const args = c.args.map((a) => decodeArg(dec, a));
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decodeArg(dec, v)]));
  if (c.kind === 'module') {
    const def = moduleOp(c.op);
    assert.ok(def, `no module op ${c.op}`);
    const attrs = bind(
      def.ctor,
      (c.ctor ?? []).map((a) => dec.decode(a)),
      Object.fromEntries(Object.entries(c.ctor_kwargs ?? {}).map(([k, v]) => [k, dec.decode(v)])),
    );
    def.validate?.(attrs);
    const state = def.tensors(attrs).map((t): [string, number[]] => [t.name, [...t.shape]]);
    const subs = (def.submodules?.(attrs) ?? []).map((s): [string, string] => [s.name, s.type]);
    const bound = bind(def.forward, args, kwargs);
    const out = def.infer(attrs, bound, ctx);
    def.flops(attrs, bound, out);
    return { out, state, subs };
  }
  const def = functionOp(`einops.${c.op}`);
  assert.ok(def, `no op einops.${c.op}`);
  const bound = bind(def.signature, args, kwargs);
  const out = def.infer(bound, ctx);
  def.flops?.(bound, out);
  return { out };
}

/** Python prints sets in hash order: compare their items sorted; spaces at line edges do not matter. */
function norm(s: string): string {
  return s
    .replace(/\{([^{}:]*)\}/g, (_m, inner: string) => `{${inner.split(', ').sort().join(', ')}}`)
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

describe(`einops ${fixture.einops_version} on torch ${fixture.torch_version} (${fixture.cases.length} cases)`, () => {
  test('at least 300 recorded cases, failing ones included', () => {
    assert.ok(fixture.cases.length >= 300, `${fixture.cases.length} cases`);
    assert.ok(fixture.cases.filter((c) => c.error).length >= 60);
  });
  for (const c of fixture.cases) {
    test(c.id, () => {
      for (const symbolic of [false, true]) {
        const mode = symbolic ? 'symbolic' : 'concrete';
        if (c.error) {
          const want = c.error;
          assert.throws(
            () => runCase(c, symbolic),
            (e: unknown) => {
              if (want.type === 'TypeError' && e instanceof TypeError && !(e instanceof ShapeError)) return true;
              assert.ok(e instanceof ShapeError, `${mode}: expected ${want.type}: ${want.message}; got ${String(e)}`);
              if (e instanceof EinopsFailure) {
                const mine = norm(e.einops);
                const ok = norm(want.message).endsWith(mine) || norm(`${want.type}: ${want.message}`).endsWith(mine);
                assert.ok(ok, `${mode}: einops raised\n  ${want.type}: ${want.message}\nbut the rule says\n  ${e.einops}`);
              } else {
                // Errors torch itself raises inside einops (einsum sizes) are reported in the op's own words.
                assert.equal(want.type, 'RuntimeError', `${mode}: ${want.type} expected as an einops failure, got ${e.message}`);
              }
              return true;
            },
          );
          continue;
        }
        const r = runCase(c, symbolic);
        assert.deepEqual(encode(r.out), c.out, `${mode} output`);
        checkConsistent(r.out, mode);
        if (c.kind === 'module') {
          assert.deepEqual(r.state, c.state, `${mode}: state_dict`);
          assert.deepEqual(r.subs, c.submodules, `${mode}: child modules`);
        }
      }
    });
  }
});

describe('einops symbolic dims and constraints', () => {
  test('b (h w) c of [B, 64, H/4, W/4] keeps the symbols', () => {
    const B = symDim('B', 2);
    const H = symDim('H', 64);
    const W = symDim('W', 32);
    const r = einopsRecipe('b c h w -> b (h w) c', 'rearrange', [B, dim(64), H, W], []);
    assert.equal(r.output.map((d) => d.value).join(','), '2,2048,64');
    assert.ok(r.output[0].expr && r.output[1].expr, 'batch and tokens stay symbolic');
    assert.equal(r.divisibility.length, 0);
  });
  test('splitting a symbolic size records the divisibility', () => {
    const H = symDim('H', 32);
    const r = einopsRecipe('b (h p) -> b h p', 'rearrange', [dim(1), H], [['p', dim(8)]]);
    assert.equal(r.output[1].value, 4);
    assert.deepEqual(
      r.divisibility.map((d) => d.by),
      [8],
    );
  });
  test('a non-dividing size names the sizes that would fit', () => {
    assert.throws(
      () =>
        einopsRecipe(
          'b c (h p1) (w p2) -> b (h w) (p1 p2 c)',
          'rearrange',
          [dim(1), dim(3), dim(30), dim(32)],
          [
            ['p1', dim(8)],
            ['p2', dim(8)],
          ],
        ),
      (e: unknown) => e instanceof EinopsFailure && /24 or 32/.test(e.hint ?? '') && /length 30/.test(e.message),
    );
  });
  test('FLOPs: a reduction reads every input element once; EinMix is 2 per multiply-add plus its bias', () => {
    const dec = new Decoder(false);
    const ctx = makeCtx();
    const red = functionOp('einops.reduce')!;
    const args = bind(red.signature, [dec.decode({ t: [2, 3, 4], dtype: 'float32' }), dec.decode('a b c -> a'), dec.decode('mean')], {});
    assert.equal(red.flops!(args, red.infer(args, ctx)), 24);
    const mix = moduleOp('EinMix')!;
    const attrs = bind(mix.ctor, [dec.decode('b n d -> b n e')], {
      weight_shape: dec.decode('d e'),
      bias_shape: dec.decode('e'),
      d: dec.decode(4),
      e: dec.decode(5),
    });
    const fwd = bind(mix.forward, [dec.decode({ t: [2, 3, 4], dtype: 'float32' })], {});
    assert.equal(mix.flops(attrs, fwd, mix.infer(attrs, fwd, ctx)), 2 * 30 * 4 + 30);
  });
  test('the registry provides einops as Python modules', () => {
    assert.ok(providesPythonModule('einops') && providesPythonModule('einops.layers') && providesPythonModule('einops.layers.torch'));
    assert.equal(pythonModuleMember('einops.layers', 'torch'), 'module');
    const r = pythonModuleMember('einops', 'rearrange');
    assert.ok(r && r !== 'module' && r.kind === 'function');
    const m = pythonModuleMember('einops.layers.torch', 'EinMix');
    assert.ok(m && m !== 'module' && m.kind === 'module' && m.library === 'einops.layers.torch');
  });
});
