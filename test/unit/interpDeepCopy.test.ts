// copy.deepcopy keeps every fact the interpreter knows of what it copies: parameter-ness, initialisation, known values.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { graphOf, runModelSrc } from '../support/interpHarness';

before(initTestParser);

const SRC = `
import copy
import torch
import torch.nn as nn


class Holder(nn.Module):
    def __init__(self):
        super().__init__()
        self.offset = torch.tensor([1.0, 2.0, 3.0])
        self.weight = nn.Parameter(torch.ones(3))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Holder()
        self.b = copy.deepcopy(self.a)
        self.scale = copy.deepcopy(torch.arange(3) * 2.0)

    def forward(self, x):
        return x * self.b.weight + self.b.offset * self.scale
`;

test('a deep-copied constant tensor keeps its known values (inside a copied module and on its own)', () => {
  const g = graphOf(runModelSrc(SRC, 'Model()', ['2x3']));
  const consts = [...g.values.values()].filter((v) => v.source === 'const');
  const known = consts.map((v) => v.constValue).filter((v) => v !== undefined);
  assert.deepEqual(known, [
    [1, 2, 3],
    [0, 2, 4],
  ]);
});

test('a deep-copied parameter stays a parameter with its initialisation', () => {
  const m = runModelSrc(SRC, 'Model()', ['2x3']);
  const w = m.graph!.stateDict.find((e) => e.name === 'b.weight');
  assert.ok(w, 'b.weight is in the state dict');
  assert.equal(w.role, 'param');
  assert.deepEqual(w.init, { kind: 'ones' });
});
