// Input specs: SPEC syntax, and the first-match-wins sources (comment, option, example call, layer constraints).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { formatInputSpec, parseInputSpec, parseInputSpecs } from '../../src/core/interp/inputSpec';
import { formatShapeConcrete, formatShapeSymbolic } from '../../src/core/shape/shape';
import { analyzeSrc, spec } from '../support/interpHarness';

before(initTestParser);

test('SPEC syntax: names, symbolic dims, dtypes and errors', () => {
  assert.deepEqual(parseInputSpec('4x3x256x256'), { name: null, dims: [4, 3, 256, 256], dtype: 'float32' });
  assert.deepEqual(parseInputSpec('tokens=2x12:int64'), { name: 'tokens', dims: [2, 12], dtype: 'int64' });
  assert.deepEqual(parseInputSpec('x=Bx3xHxW'), { name: 'x', dims: ['B', 3, 'H', 'W'], dtype: 'float32' });
  assert.deepEqual(parseInputSpec('[]:float64'), { name: null, dims: [], dtype: 'float64' });
  assert.match(String(parseInputSpec('4x3x:int64')), /invalid input spec/);
  assert.match(String(parseInputSpec('4x3:complex')), /unknown dtype/);
  const two = parseInputSpecs('a=1x3x8x8, b=1x8:int64');
  assert.ok(Array.isArray(two) && two.length === 2);
  assert.equal(formatInputSpec(spec('tokens=2x12:int64')), 'tokens=2x12:int64');
});

const MODEL = `import torch
import torch.nn as nn


class Baseline(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),
        )
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


# fusion-lens: input=Bx3xHxW
class Commented(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Pair(nn.Module):
    def forward(self, a, b):
        return a + b


class Pooled(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(5, 4, 1)

    def forward(self, x):
        return self.conv(x).mean((2, 3))


if __name__ == "__main__":
    inp = torch.randn(6, 3, 64, 64)
    for net in (Baseline(), Commented()):
        out = net(inp)
`;

test('sources in order: comment, option, example call, layer constraints; Linear states the size it admits', () => {
  const fa = analyzeSrc(MODEL, { symbols: { B: 4, H: 32, W: 48 }, inputOverrides: { Pair: [spec('2x5'), spec('1x5')] } });
  const c = (n: string) => fa.classes.find((x) => x.name === n)!;

  const commented = c('Commented');
  assert.equal(commented.inputSpec?.source, 'comment');
  const inp = commented.graph!.inputs[0];
  assert.equal(formatShapeSymbolic(inp.shape), '[B, 3, H, W]');
  assert.equal(formatShapeConcrete(inp.shape), '[4, 3, 32, 48]');
  assert.equal(formatShapeConcrete(commented.graph!.values.get(commented.graph!.outputs[0])!.shape!), '[4, 4, 16, 24]');

  const pair = c('Pair');
  assert.equal(pair.inputSpec?.source, 'option');
  assert.deepEqual(
    pair.graph!.inputs.map((i) => i.name),
    ['a', 'b'],
  );

  const base = c('Baseline');
  assert.equal(base.inputSpec?.source, 'example');
  assert.equal(formatShapeConcrete(base.graph!.inputs[0].shape), '[6, 3, 64, 64]');
  assert.match(base.inputSpec?.note ?? '', /only admits 64×64 inputs/);
  assert.ok(base.diagnostics.some((d) => d.code === 'input-constraint' && d.severity === 'info'));

  const pooled = c('Pooled');
  assert.equal(pooled.inputSpec?.source, 'constraint');
  assert.deepEqual(pooled.graph!.inputs[0].shape.map((d) => d.value)[1], 5);
});

test('layer constraints alone: the Linear fixes the spatial size of the chosen spec', () => {
  const src = MODEL.split('# fusion-lens')[0];
  const fa = analyzeSrc(src);
  const base = fa.classes.find((x) => x.name === 'Baseline')!;
  assert.equal(base.inputSpec?.source, 'constraint');
  assert.equal(formatShapeConcrete(base.graph!.inputs[0].shape), '[1, 3, 64, 64]');
  assert.match(base.inputSpec?.note ?? '', /Linear\(in_features=8192\) only admits 64×64 inputs/);
  assert.deepEqual(
    base.graph!.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});

test('a forward with several inputs and no spec says how to give one', () => {
  const fa = analyzeSrc(MODEL.replace('if __name__', 'if False and __name__'));
  const pair = fa.classes.find((x) => x.name === 'Pair')!;
  assert.equal(pair.graph, null);
  assert.ok(pair.diagnostics.some((d) => d.code === 'no-input-spec'));
  const bad = analyzeSrc(MODEL.replace('input=Bx3xHxW', 'input=Bx3xHx'));
  assert.ok(bad.classes.find((x) => x.name === 'Commented')!.diagnostics.some((d) => d.code === 'input-spec'));
});

test('shape errors under a guessed input are warnings that say how to set the input', () => {
  const src = `import torch.nn as nn


class Takes(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(4, 8, 1), nn.Conv2d(16, 8, 1)])

    def forward(self, feats):
        return self.convs[-1](feats[-1])
`;
  const c = analyzeSrc(src).classes.find((x) => x.name === 'Takes')!;
  assert.equal(c.inputSpec?.source, 'constraint');
  const d = c.diagnostics.find((x) => x.code === 'conv-channels');
  assert.ok(d && d.severity === 'warning' && /guessed input Bx4xHxW/.test(d.message), JSON.stringify(c.diagnostics));
  const given = analyzeSrc(src, { inputOverrides: { Takes: [spec('2x4x8x8')] } }).classes.find((x) => x.name === 'Takes')!;
  assert.equal(given.diagnostics.find((x) => x.code === 'conv-channels')?.severity, 'error');
});

test('a forward with several inputs gets one guessed input per entry layer kind (image conv, token embedding)', () => {
  const src = `import torch
import torch.nn as nn


class Fuse(nn.Module):
    def __init__(self):
        super().__init__()
        self.img = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.AdaptiveAvgPool2d(1))
        self.emb = nn.Embedding(100, 8)
        self.head = nn.Linear(16, 2)

    def forward(self, image, tokens):
        a = self.img(image).flatten(1)
        b = self.emb(tokens).mean(1)
        return self.head(torch.cat([a, b], 1))
`;
  const c = analyzeSrc(src).classes.find((x) => x.name === 'Fuse')!;
  assert.equal(c.inputSpec?.text, 'Bx3xHxW, BxT:int64');
  assert.deepEqual(
    c.graph!.inputs.map((i) => `${i.name}:${formatShapeSymbolic(i.shape)}:${i.dtype}`),
    ['image:[B, 3, H, W]:float32', 'tokens:[B, T]:int64'],
  );
  assert.equal(formatShapeConcrete(c.graph!.values.get(c.graph!.outputs[0])!.shape!), '[1, 2]');
});
