// Which classes of a file the extension treats as models, blocks, and where their input comments are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PythonParser } from '../../../src/core/python/pythonParser';
import { moduleClasses } from '../../../src/extension/service/modelClasses';
import { initTestParser } from '../../support/pythonWasm';

const SRC = `import torch.nn as nn
from torch import nn as tnn

class Helper:
    pass

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3)

class Base(tnn.Module):
    pass

# fusion-lens: input=2x8x32x32
@some.decorator
class Net(Base):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(*[Block(8) for _ in range(2)])

# fusion-lens: input=Bx3xHxW:float32
class Tiny(nn.Module):
    pass
`;

test('finds nn.Module classes through local base classes, marks blocks, reads input comments', async () => {
  await initTestParser();
  const { module } = new PythonParser().parse(SRC);
  const found = moduleClasses(module, SRC.split('\n'));
  assert.deepEqual(
    found.map((c) => c.name),
    ['Block', 'Base', 'Net', 'Tiny'],
  );
  const by = new Map(found.map((c) => [c.name, c]));
  assert.equal(by.get('Block')!.isBlock, true, 'Block is built inside Net');
  assert.equal(by.get('Net')!.isBlock, false);
  assert.equal(by.get('Net')!.commentSpec, '2x8x32x32', 'the comment sits above the decorator');
  assert.equal(by.get('Net')!.commentLine, 14);
  assert.equal(by.get('Tiny')!.commentSpec, 'Bx3xHxW:float32');
  assert.equal(by.get('Block')!.commentSpec, null);
});

test('a class swallowed by a syntax error is reported broken', async () => {
  await initTestParser();
  const broken = SRC.replace('self.conv = nn.Conv2d(c, c, 3)', 'self.conv = nn.Conv2d(c, c, 3');
  const { module } = new PythonParser().parse(broken);
  const found = moduleClasses(module, broken.split('\n'));
  const block = found.find((c) => c.name === 'Block');
  assert.ok(!block || block.def.broken, 'Block either vanished into an error node or is marked broken');
});
