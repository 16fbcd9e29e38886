// einops through the interpreter: every import form, built in ahead of an einops source on the path, and
// the divisibility its splits put on the model's input sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { initTestParser } from '../support/pythonWasm';

const EINOPS_SRC = resolve(__dirname, '../../../shared/wild/deps/arogozhnikov__einops');

const HEAD = 'import torch\nfrom torch import nn\n';

function run(src: string, input: string | null, searchRoots: string[] = []) {
  const fa = analyzeSource({
    text: src,
    file: '/t/m.py',
    readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
    searchRoots,
    models: [
      {
        expr: 'M()',
        ...(input ? { inputs: [{ name: 'x', dims: input.split('x').map((d) => (/^\d+$/.test(d) ? Number(d) : d)), dtype: 'float32' as const }] } : {}),
      },
    ],
  });
  return fa.models[0]!;
}

const shapeOf = (m: ReturnType<typeof run>, v: string) => m.graph?.lines.filter((r) => r.var === v).map((r) => r.shape.map((d) => d.value));

test('every import form of einops resolves to the built-in ops', async () => {
  await initTestParser();
  const src = `${HEAD}import einops
import einops.layers.torch as elt
from einops import rearrange as re_, reduce
from einops.layers.torch import Rearrange, Reduce
from einops.einops import repeat


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Rearrange('b c h w -> b (c h w)')
        self.b = elt.Reduce('b c h w -> b c', 'mean')
        self.c = Reduce('b c (h 2) (w 2) -> b c h w', 'max')

    def forward(self, x):
        p = self.a(x)
        q = self.b(x)
        r = self.c(x)
        s = einops.rearrange(x, 'b c h w -> b h w c')
        t = re_(x, 'b c h w -> (b c) h w')
        u = reduce(x, 'b c h w -> b', 'sum')
        v = repeat(q, 'b c -> b c n', n=5)
        return p
`;
  const m = run(src, '2x3x8x8');
  assert.deepEqual(
    m.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message),
    [],
  );
  assert.deepEqual(shapeOf(m, 'p'), [[2, 192]]);
  assert.deepEqual(shapeOf(m, 'q'), [[2, 3]]);
  assert.deepEqual(shapeOf(m, 'r'), [[2, 3, 4, 4]]);
  assert.deepEqual(shapeOf(m, 's'), [[2, 8, 8, 3]]);
  assert.deepEqual(shapeOf(m, 't'), [[6, 8, 8]]);
  assert.deepEqual(shapeOf(m, 'u'), [[2]]);
  assert.deepEqual(shapeOf(m, 'v'), [[2, 3, 5]]);
});

test('einops is built in even when its source is on the import path', { skip: !existsSync(EINOPS_SRC) && 'no ../shared/wild/deps einops' }, async () => {
  await initTestParser();
  const src = `${HEAD}from einops import rearrange


class M(nn.Module):
    def forward(self, x):
        y = rearrange(x, 'b (h p) -> b h p', p=4)
        return y
`;
  const m = run(src, '2x12', [EINOPS_SRC]);
  assert.deepEqual(
    m.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message),
    [],
  );
  assert.deepEqual(shapeOf(m, 'y'), [[2, 3, 4]]);
  assert.equal(m.graph?.nodes.find((n) => n.op.startsWith('einops.'))?.op, 'einops.rearrange');
});

test('a split of a symbolic input size constrains it; a guessed input is re-run with a size that fits', async () => {
  await initTestParser();
  const src = `${HEAD}from einops import rearrange


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, stride=2, padding=1)

    def forward(self, x):
        f = self.conv(x)
        y = rearrange(f, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=5, p2=5)
        return y
`;
  const m = run(src, null);
  const note = m.diagnostics.find((d) => d.code === 'input-constraint');
  assert.ok(note, m.diagnostics.map((d) => d.message).join('\n'));
  assert.match(note!.message, /chunks of 5/);
  assert.deepEqual(
    m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.deepEqual(shapeOf(m, 'y'), [[1, 529, 400]]);
});

test('a failing pattern is an error at the call, in plain words, with the sizes that would fit', async () => {
  await initTestParser();
  const src = `${HEAD}from einops import rearrange


class M(nn.Module):
    def forward(self, x):
        y = rearrange(x, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=8, p2=8)
        return y
`;
  const m = run(src, 'Bx3x30x32');
  const err = m.diagnostics.find((d) => d.severity === 'error');
  assert.ok(err);
  assert.match(err!.message, /input axis 2 \(h p1\) has length 30, which is not a multiple of p1=8/);
  assert.match(err!.message, /\[einops: Shape mismatch, can't divide axis of length 30 in chunks of 8\]/);
  assert.match(err!.hint ?? '', /multiple of 8/);
  assert.equal(err!.range?.startLine, 7);
});
