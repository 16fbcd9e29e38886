// nn.utils.spectral_norm and weight_norm on built layers: the tensors they register, as torch 1.13 registers them
// (shapes printed by Debian's python3-torch for the same constructors).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { runModelSrc } from '../support/interpHarness';

before(initTestParser);

const SRC = `
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.utils.spectral_norm(nn.Conv2d(4, 8, 3))
        self.up = nn.utils.spectral_norm(nn.ConvTranspose2d(4, 8, 3))
        self.fc = nn.utils.weight_norm(nn.Linear(6, 5))

    def forward(self, x):
        return self.up(self.conv(x))
`;

test("spectral_norm reshapes a transposed convolution's weight by its output axis (1), other layers by axis 0", () => {
  const m = runModelSrc(SRC, 'Model()', ['1x4x8x8']);
  const shapes = Object.fromEntries(m.graph!.stateDict.map((e) => [e.name, [...e.shape]]));
  // torch: conv.weight_u [8], conv.weight_v [36]; up.weight_orig [4, 8, 3, 3], up.weight_u [8], up.weight_v [36].
  assert.deepEqual(shapes['conv.weight_u'], [8]);
  assert.deepEqual(shapes['conv.weight_v'], [36]);
  assert.deepEqual(shapes['up.weight_orig'], [4, 8, 3, 3]);
  assert.deepEqual(shapes['up.weight_u'], [8]);
  assert.deepEqual(shapes['up.weight_v'], [36]);
  // weight_norm(dim=0): weight_g [5, 1], weight_v [5, 6].
  assert.deepEqual(shapes['fc.weight_g'], [5, 1]);
  assert.deepEqual(shapes['fc.weight_v'], [5, 6]);
});
