// Property tests: simplified expressions evaluate exactly like the integer arithmetic they were built from,
// for every binding that respects the power-of-two assumption, and equal expressions compare equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Expr, exprAdd, exprCeilDiv, exprConst, exprEquals, exprEval, exprFloorDiv, exprMod, exprMul, exprSym } from '../../src/core/shape/expr';

/** A tiny arithmetic tree and its direct evaluation with Python semantics. */
type Tree =
  | { op: 'sym'; name: 'H' | 'W' | 'B' }
  | { op: 'const'; v: number }
  | { op: 'add' | 'sub' | 'mul'; a: Tree; b: Tree }
  | { op: 'floordiv' | 'ceildiv' | 'mod'; a: Tree; d: number }
  | { op: 'divsym'; a: Tree; name: 'H' | 'W' | 'B' };

// Symbols carry the values the assumption is derived from: H=72 → multiple of 8, W=48 → 16, B=3 → 1.
const VALUES = { H: 72, W: 48, B: 3 } as const;

const floorDiv = (a: number, b: number) => Math.floor(a / b);

function direct(t: Tree, env: Record<string, number>): number {
  switch (t.op) {
    case 'sym':
      return env[t.name];
    case 'const':
      return t.v;
    case 'add':
      return direct(t.a, env) + direct(t.b, env);
    case 'sub':
      return direct(t.a, env) - direct(t.b, env);
    case 'mul':
      return direct(t.a, env) * direct(t.b, env);
    case 'floordiv':
      return floorDiv(direct(t.a, env), t.d);
    case 'ceildiv':
      return Math.ceil(direct(t.a, env) / t.d);
    case 'mod': {
      const a = direct(t.a, env);
      return a - t.d * floorDiv(a, t.d);
    }
    case 'divsym':
      return floorDiv(direct(t.a, env), env[t.name]);
  }
}

function build(t: Tree): Expr {
  switch (t.op) {
    case 'sym':
      return exprSym(t.name, VALUES[t.name]);
    case 'const':
      return exprConst(t.v);
    case 'add':
      return exprAdd(build(t.a), build(t.b));
    case 'sub':
      return exprAdd(build(t.a), exprMul(exprConst(-1), build(t.b)));
    case 'mul':
      return exprMul(build(t.a), build(t.b));
    case 'floordiv':
      return exprFloorDiv(build(t.a), exprConst(t.d));
    case 'ceildiv':
      return exprCeilDiv(build(t.a), exprConst(t.d));
    case 'mod':
      return exprMod(build(t.a), exprConst(t.d));
    case 'divsym':
      return exprFloorDiv(build(t.a), exprSym(t.name, VALUES[t.name]));
  }
}

const symName = fc.constantFrom<'H' | 'W' | 'B'>('H', 'W', 'B');
const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    symName.map((name): Tree => ({ op: 'sym', name })),
    fc.integer({ min: -6, max: 20 }).map((v): Tree => ({ op: 'const', v })),
    fc.record({ op: fc.constantFrom<'add' | 'sub' | 'mul'>('add', 'sub', 'add', 'mul'), a: tie('t'), b: tie('t') }) as fc.Arbitrary<Tree>,
    fc.record({
      op: fc.constantFrom<'floordiv' | 'ceildiv' | 'mod'>('floordiv', 'ceildiv', 'mod'),
      a: tie('t'),
      d: fc.integer({ min: 1, max: 16 }),
    }) as fc.Arbitrary<Tree>,
    fc.record({ op: fc.constant<'divsym'>('divsym'), a: tie('t'), name: symName }) as fc.Arbitrary<Tree>,
  ),
})).t;

/** Bindings that keep each symbol a positive multiple of its assumed power of two. */
const env = fc.record({
  H: fc.integer({ min: 1, max: 40 }).map((k) => 8 * k),
  W: fc.integer({ min: 1, max: 20 }).map((k) => 16 * k),
  B: fc.integer({ min: 1, max: 50 }),
});

test('simplified expressions evaluate like direct integer arithmetic under the assumption', () => {
  fc.assert(
    fc.property(tree, env, (t, e) => {
      const expr = build(t);
      const got = exprEval(expr, new Map(Object.entries(e)));
      // `+ 0` turns JavaScript's -0 into 0.
      assert.equal(got === null ? null : got + 0, direct(t, e) + 0);
    }),
    { numRuns: 3000, seed: 20260101 },
  );
});

test('the own concrete values are always reproduced', () => {
  fc.assert(
    fc.property(tree, (t) => {
      const got = exprEval(build(t), new Map());
      assert.equal(got === null ? null : got + 0, direct(t, VALUES) + 0);
    }),
    { numRuns: 2000, seed: 7 },
  );
});

test('algebraically equal constructions are canonically equal', () => {
  fc.assert(
    fc.property(tree, tree, tree, (a, b, c) => {
      const [x, y, z] = [build(a), build(b), build(c)];
      assert.ok(exprEquals(exprAdd(x, y), exprAdd(y, x)), 'a+b = b+a');
      assert.ok(exprEquals(exprMul(x, exprAdd(y, z)), exprAdd(exprMul(x, y), exprMul(x, z))), 'a(b+c) = ab+ac');
      assert.ok(exprEquals(exprAdd(exprAdd(x, y), exprMul(exprConst(-1), y)), x), '(a+b)-b = a');
      // a = (a // d) * d + a % d
      assert.ok(exprEquals(exprAdd(exprMul(exprFloorDiv(x, exprConst(6)), exprConst(6)), exprMod(x, exprConst(6))), x), 'division identity');
    }),
    { numRuns: 1000, seed: 11 },
  );
});
