// Symbolic dimension expressions: canonical forms, exact simplification under the power-of-two assumption, formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dim, dim, dimAdd, dimCeilDiv, dimEquals, dimFloorDiv, dimMod, dimMul, dimSub, evalDim, formatDim, symDim } from '../../src/core/shape/dim';
import { exprEquals, exprFormat, exprSymbols, exprSym, exprConst, exprAdd, exprMul, exprFloorDiv } from '../../src/core/shape/expr';
import { slidingOut, transposedOut } from '../../src/core/ops/windowSize';

const conv = (h: Dim, k: number, s: number, p: number) => slidingOut(h, k, s, p, 1, false);

test('stride-2 conv on a power-of-two size halves exactly', () => {
  const h = conv(symDim('H', 256), 3, 2, 1);
  assert.equal(formatDim(h), 'H/2');
  assert.equal(h.value, 128);
});

test('stride-1 same padding keeps the symbol', () => {
  const h = conv(symDim('H', 256), 3, 1, 1);
  assert.equal(formatDim(h), 'H');
  assert.equal(h.expr?.kind, 'sym');
});

test('fourth halving of H=72 is floor(H/16); the transposed conv back doubles it', () => {
  let h = symDim('H', 72);
  const seen: string[] = [];
  for (let i = 0; i < 4; i++) {
    h = slidingOut(h, 2, 2, 0, 1, false);
    seen.push(`${formatDim(h)}=${h.value}`);
  }
  assert.deepEqual(seen, ['H/2=36', 'H/4=18', 'H/8=9', 'floor(H/16)=4']);
  const up = transposedOut(h, 2, 2, 0, 1, 0);
  assert.equal(formatDim(up), '2*floor(H/16)');
  assert.equal(up.value, 8);
  // Up.forward pads by diff//2 and diff - diff//2 up to the skip tensor's size H/8.
  const diff = dimSub(dimFloorDiv(symDim('H', 72), 8), up);
  const padded = dimAdd(dimAdd(up, dimFloorDiv(diff, 2)), dimSub(diff, dimFloorDiv(diff, 2)));
  assert.equal(formatDim(padded), 'H/8');
  assert.equal(padded.value, 9);
});

test('odd sizes keep floor((H-1)/2)+1 and nested floors collapse', () => {
  let h = symDim('H', 33);
  h = conv(h, 3, 2, 1);
  assert.equal(formatDim(h), 'floor((H-1)/2)+1');
  assert.equal(h.value, 17);
  h = conv(h, 3, 2, 1);
  assert.equal(formatDim(h), 'floor((H-1)/4)+1');
  assert.equal(h.value, 9);
  assert.equal(formatDim(slidingOut(symDim('H', 33), 2, 2, 0, 1, false)), 'floor(H/2)');
});

test('formatting of sums, products and constants', () => {
  const H = symDim('H', 256);
  assert.equal(formatDim(dimMul(H, 2)), '2*H');
  assert.equal(formatDim(dimSub(H, 2)), 'H-2');
  assert.equal(formatDim(dimAdd(H, 3)), 'H+3');
  assert.equal(formatDim(dimSub(5, H)), '-H+5');
  const C = symDim('C', 64);
  const W = symDim('W', 256);
  assert.equal(formatDim(dimMul(dimMul(C, dimFloorDiv(H, 8)), dimFloorDiv(W, 8))), 'C*H*W/64');
  assert.equal(formatDim(dimMul(H, W)), 'H*W');
  assert.equal(formatDim(dimMul(H, H)), 'H^2');
});

test('canonical equality: H/2 + H/2 equals H, order does not matter', () => {
  const H = symDim('H', 256);
  const W = symDim('W', 128);
  assert.equal(dimEquals(dimAdd(dimFloorDiv(H, 2), dimFloorDiv(H, 2)), H), true);
  assert.ok(exprEquals(exprAdd(exprSym('H', 8), exprSym('W', 8)), exprAdd(exprSym('W', 8), exprSym('H', 8))));
  assert.ok(exprEquals(exprMul(exprSym('H', 8), exprConst(3)), exprAdd(exprSym('H', 8), exprMul(exprConst(2), exprSym('H', 8)))));
  assert.ok(!exprEquals(exprSym('H', 8), exprSym('W', 8)));
  // Cancelling to a constant gives a plain number.
  const zero = dimSub(dimMul(H, W), dimMul(W, H));
  assert.equal(zero.expr, null);
  assert.equal(zero.value, 0);
});

test('exact division by a symbolic monomial (view(B, -1))', () => {
  const B = symDim('B', 4);
  const H = symDim('H', 256);
  const W = symDim('W', 256);
  const numel = dimMul(dimMul(dimMul(B, 256), dimFloorDiv(H, 8)), dimFloorDiv(W, 8));
  assert.equal(formatDim(numel), '4*B*H*W');
  const rest = dimFloorDiv(numel, B);
  assert.equal(formatDim(rest), '4*H*W');
  assert.equal(rest.value, 262144);
  // Not divisible symbolically: stays a floor of a quotient.
  const q = dimFloorDiv(H, W);
  assert.equal(formatDim(q), 'floor(H/W)');
  assert.equal(q.value, 1);
});

test('ceil and mod follow Python semantics', () => {
  const H = symDim('H', 33);
  const c = dimCeilDiv(H, 2);
  assert.equal(c.value, 17);
  assert.equal(evalDim(c, new Map([['H', 34]])), 17);
  assert.equal(evalDim(c, new Map([['H', 35]])), 18);
  const m = dimMod(H, 2);
  assert.equal(m.value, 1);
  assert.equal(evalDim(m, new Map([['H', 40]])), 0);
  assert.equal(formatDim(dimMod(symDim('H', 256), 2)), '0');
  assert.equal(dimMod(-7, 3).value, 2);
  assert.equal(dimFloorDiv(-7, 2).value, -4);
});

test('evaluation with other bindings agrees with the concrete arithmetic it stands for', () => {
  // floor((H-1)/2)+1 for odd H, compared with the formula applied directly.
  const h = conv(symDim('H', 33), 3, 2, 1);
  for (const v of [1, 3, 5, 33, 101]) assert.equal(evalDim(h, new Map([['H', v]])), Math.floor((v + 2 - 3) / 2) + 1);
  const two = conv(h, 3, 2, 1);
  for (const v of [1, 3, 9, 33, 101]) {
    const once = Math.floor((v - 1) / 2) + 1;
    assert.equal(evalDim(two, new Map([['H', v]])), Math.floor((once - 1) / 2) + 1);
  }
});

test('symbols of an expression, including inside floor()', () => {
  const e = exprFloorDiv(exprAdd(exprSym('H', 33), exprSym('W', 1)), exprConst(2));
  assert.deepEqual(exprSymbols(e), ['H', 'W']);
  assert.equal(exprFormat(e), 'floor((H+W)/2)');
});

test('plain numbers stay plain', () => {
  const d = dimAdd(dim(3), dim(4));
  assert.equal(d.expr, null);
  assert.equal(formatDim(d), '7');
});

test('symbols that cancel give a known number even when their values are unknown', () => {
  const L = symDim('L', null);
  const three = dimSub(L, dimSub(L, 3));
  assert.equal(three.expr, null);
  assert.equal(three.value, 3);
  const half = dimFloorDiv(L, 2);
  assert.equal(half.value, null);
  assert.equal(formatDim(half), 'floor(L/2)');
  // floor(L/2)*2 + L mod 2 is L again.
  assert.equal(formatDim(dimAdd(dimMul(half, 2), dimMod(L, 2))), 'L');
});
