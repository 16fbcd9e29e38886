// Robustness: every registered op, fed arbitrary arguments, either answers or throws ShapeError/UnknownArgError — never crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { symDim, unknownDim } from '../../src/core/shape/dim';
import { DType } from '../../src/core/shape/shape';
import { allFunctionOps, allModuleOps } from '../../src/core/ops/index';
import { BoundArgs, ParamSpec, ShapeError, UnknownArgError } from '../../src/core/ops/types';
import { PyValue } from '../../src/core/ops/values';
import { makeCtx } from '../support/opsHarness';

const DTYPES: DType[] = ['float32', 'float64', 'int64', 'int32', 'bool', 'uint8', 'float16'];

const dimArb = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((n) => ({ value: n, expr: null })),
  fc.integer({ min: 1, max: 64 }).map((n) => symDim('S', n)),
  fc.constant(symDim('U', null)),
  fc.constant(unknownDim()),
);

const tensorArb: fc.Arbitrary<PyValue> = fc
  .record({
    shape: fc.option(fc.array(dimArb, { maxLength: 5 }), { nil: null, freq: 8 }),
    dtype: fc.constantFrom(...DTYPES),
  })
  .map((t) => ({ kind: 'tensor', id: 'fz', shape: t.shape, dtype: t.dtype }));

const scalarArb: fc.Arbitrary<PyValue> = fc.oneof(
  fc.integer({ min: -4, max: 12 }).map((n): PyValue => ({ kind: 'int', dim: { value: n, expr: null } })),
  fc.constant<PyValue>({ kind: 'int', dim: symDim('H', 32) }),
  fc.double({ min: -2, max: 3, noNaN: true }).map((x): PyValue => ({ kind: 'float', value: x })),
  fc.boolean().map((b): PyValue => ({ kind: 'bool', value: b })),
  fc.constant<PyValue>({ kind: 'none' }),
  fc.constantFrom<PyValue>(
    { kind: 'str', value: 'same' },
    { kind: 'str', value: 'bilinear' },
    { kind: 'str', value: 'ij,jk->ik' },
    { kind: 'str', value: 'mean' },
  ),
  fc.constant<PyValue>({ kind: 'unknown', why: 'fuzz' }),
  fc.constant<PyValue>({ kind: 'ellipsis' }),
  fc.constant<PyValue>({ kind: 'object', typeName: 'torch.dtype', ref: 'float64' }),
);

const valueArb: fc.Arbitrary<PyValue> = fc.oneof(
  { weight: 3, arbitrary: tensorArb },
  { weight: 3, arbitrary: scalarArb },
  { weight: 1, arbitrary: fc.array(fc.oneof(scalarArb, tensorArb), { maxLength: 4 }).map((items): PyValue => ({ kind: 'tuple', items })) },
  { weight: 1, arbitrary: fc.array(fc.oneof(scalarArb, tensorArb), { maxLength: 4 }).map((items): PyValue => ({ kind: 'list', items })) },
  { weight: 1, arbitrary: fc.tuple(scalarArb, scalarArb, scalarArb).map(([a, b, c]): PyValue => ({ kind: 'slice', start: a, stop: b, step: c })) },
);

/** Binds random values to every parameter (defaults sometimes kept). */
function randomArgs(params: readonly ParamSpec[]): fc.Arbitrary<BoundArgs> {
  const entries = params.map((p) =>
    (p.variadic === 'kwargs'
      ? fc.constant<PyValue>({ kind: 'dict', entries: new Map(), keys: [] })
      : p.variadic === 'args'
        ? fc.array(valueArb, { maxLength: 4 }).map((items): PyValue => ({ kind: 'tuple', items }))
        : p.default !== undefined
          ? fc.oneof({ weight: 2, arbitrary: fc.constant(p.default) }, { weight: 1, arbitrary: valueArb })
          : valueArb
    ).map((v) => [p.name, v] as const),
  );
  return fc.tuple(...entries).map((kv) => Object.fromEntries(kv));
}

function tolerated(e: unknown): boolean {
  return e instanceof ShapeError || e instanceof UnknownArgError;
}

/** Runs a property per op and reports every op that crashed, not just the first. */
function checkAll(names: string[], run: (i: number) => void): void {
  const failures: string[] = [];
  names.forEach((name, i) => {
    try {
      run(i);
    } catch (e) {
      failures.push(`${name}: ${(e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' | ')}`);
    }
  });
  assert.deepEqual(failures, []);
}

test('function ops never crash on arbitrary arguments', () => {
  const defs = allFunctionOps();
  checkAll(
    defs.map((d) => d.name),
    (i) => {
      const def = defs[i];
      fc.assert(
        fc.property(randomArgs(def.signature), (args) => {
          try {
            const out = def.infer(args, makeCtx());
            def.flops?.(args, out);
          } catch (e) {
            assert.ok(tolerated(e), `${def.name} crashed: ${e instanceof Error ? e.stack : String(e)}`);
          }
        }),
        { numRuns: 60, seed: 42 },
      );
    },
  );
});

test('module ops never crash on arbitrary constructor and call arguments', () => {
  const defs = allModuleOps();
  checkAll(
    defs.map((d) => d.type),
    (i) => {
      const def = defs[i];
      fc.assert(
        fc.property(randomArgs(def.ctor), randomArgs(def.forward), (attrs, args) => {
          try {
            def.validate?.(attrs);
            def.tensors(attrs);
            def.submodules?.(attrs);
            const out = def.infer(attrs, args, makeCtx());
            def.flops(attrs, args, out);
          } catch (e) {
            assert.ok(tolerated(e), `${def.type} crashed: ${e instanceof Error ? e.stack : String(e)}`);
          }
        }),
        { numRuns: 60, seed: 42 },
      );
    },
  );
});
