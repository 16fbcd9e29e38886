// Arguments recorded on graph nodes: slices keep their bounds (symbolic ones too), Ellipsis is '...', None is null.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { graphOf, runModelSrc } from '../support/interpHarness';

before(initTestParser);

test('indexing records slices as { slice: [start, stop, step] } and Ellipsis as "..."', () => {
  const src = `
import torch.nn as nn


class Net(nn.Module):
    def forward(self, x, t):
        a = x[:, 1:3, ..., ::2]
        b = a[None, :, : t.size(1)]
        return b
`;
  const g = graphOf(runModelSrc(src, 'Net()', ['2x4x6x8', 't=2xT:int64']));
  const idx = g.nodes.filter((n) => n.op === 'Tensor.__getitem__' || n.op === 'op.getitem').map((n) => n.args.index);
  assert.deepEqual(idx[0], [{ slice: [null, null, null] }, { slice: [1, 3, null] }, '...', { slice: [null, null, 2] }]);
  assert.equal(idx.length, 2);
  const second = idx[1] as readonly unknown[];
  assert.equal(second[0], null);
  assert.deepEqual(second[1], { slice: [null, null, null] });
  const stop = (second[2] as { slice: readonly unknown[] }).slice[1] as { symbolic: string; value: number | null };
  assert.equal(stop.symbolic, 'T');
});
