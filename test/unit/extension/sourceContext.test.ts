// The enclosing class and def of a line, found by indentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceContext } from '../../../src/extension/service/sourceContext';

const LINES = [
  'import torch', // 0
  'class Net(nn.Module):', // 1
  '    def __init__(self):', // 2
  '        self.a = 1', // 3
  '', // 4
  '    # comment at class level', // 5
  '    def forward(self, x):', // 6
  '        for i in range(2):', // 7
  '            x = x + 1', // 8
  '        return x', // 9
  'def helper(y):', // 10
  '    return y', // 11
];
const at = (i: number): string => LINES[i] ?? '';

test('a line inside a nested block finds its def and class', () => {
  assert.deepEqual(sourceContext(at, 8), { enclosingClass: 'Net', functionStart: 6 });
  assert.deepEqual(sourceContext(at, 3), { enclosingClass: 'Net', functionStart: 2 });
});

test('header lines belong to their own block', () => {
  assert.deepEqual(sourceContext(at, 6), { enclosingClass: 'Net', functionStart: 6 });
  assert.deepEqual(sourceContext(at, 1), { enclosingClass: 'Net', functionStart: null });
});

test('module-level functions have no class', () => {
  assert.deepEqual(sourceContext(at, 11), { enclosingClass: null, functionStart: 10 });
  assert.deepEqual(sourceContext(at, 0), { enclosingClass: null, functionStart: null });
});
