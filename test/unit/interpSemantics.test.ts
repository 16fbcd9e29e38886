// Interpreter semantics on samples written the way public model repos write them; shapes checked at markers.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { checkMarkers, graphOf, runModelSrc } from '../support/interpHarness';

before(initTestParser);

test('user base classes, *args/**kwargs, partial, staticmethod/classmethod/property, config dicts', () => {
  const src = `
import functools
import logging
from typing import Optional, List
import torch
import torch.nn as nn
import torch.nn.functional as F

logger = logging.getLogger(__name__)
CFG = {"width": 8, "depths": [1, 2], "act": "relu"}
NORM = functools.partial(nn.BatchNorm2d, eps=1e-3)


def make_act(name: str) -> nn.Module:
    if name == "relu":
        return nn.ReLU(inplace=True)
    return nn.GELU()


class Base(nn.Module):
    scale = 2

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.extra = kwargs.get("extra", 0)

    @staticmethod
    def double(n: int) -> int:
        return n * 2

    @classmethod
    def width_of(cls, n):
        return n * cls.scale

    @property
    def out_ch(self) -> int:
        return self.conv.out_channels


class Net(Base):
    def __init__(self, in_ch: int = 3, width: Optional[int] = None, **kwargs):
        super(Net, self).__init__(extra=1, **kwargs)
        width = width or CFG["width"]
        logger.info(f"building Net with width {width}")
        print("width", width)
        assert width > 0, "width must be positive"
        self.conv = nn.Conv2d(in_ch, self.double(width), 3, padding=1)
        self.norm = NORM(self.out_ch)
        self.act = make_act(CFG["act"])
        self.head = nn.Linear(self.width_of(width), 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # @ x=[2,3,16,16]
        y = self.act(self.norm(self.conv(x)))  # @ y=[2,16,16,16]
        b, c, h, w = y.shape  # @ -
        z = y.mean(dim=(2, 3))  # @ z=[2,16]
        if h > 100:
            z = z * 0
        return self.head(z)  # @ <return>=[2,10]
`;
  const m = runModelSrc(src, 'Net()', ['2x3x16x16']);
  const g = graphOf(m);
  checkMarkers(src, g);
  assert.deepEqual(
    g.modules.map((c) => c.path),
    ['', 'conv', 'norm', 'act', 'head'],
  );
  assert.equal(g.diagnostics.filter((d) => d.severity !== 'info').length, 0, JSON.stringify(g.diagnostics));
});

test('containers: Sequential(OrderedDict), *list, ModuleList append/extend/insert, negative index, slices, ModuleDict', () => {
  const src = `
from collections import OrderedDict
import torch
from torch import nn


class Stack(nn.Module):
    def __init__(self, widths=(4, 8, 16)):
        super().__init__()
        layers = []
        prev = 3
        for i, w in enumerate(widths):
            layers += [nn.Conv2d(prev, w, 3, padding=1), nn.ReLU()]
            prev = w
        self.body = nn.Sequential(*layers)
        self.named = nn.Sequential(OrderedDict([("conv", nn.Conv2d(prev, prev, 1)), ("act", nn.Sigmoid())]))
        self.blocks = nn.ModuleList()
        self.blocks.append(nn.Identity())
        self.blocks.extend([nn.Conv2d(prev, prev, 1), nn.Conv2d(prev, prev, 1)])
        self.blocks.insert(0, nn.Conv2d(prev, prev, 3, padding=1))
        self.heads = nn.ModuleDict({"cls": nn.Linear(prev, 5), "reg": nn.Linear(prev, 2)})

    def forward(self, x):
        x = self.body[:2](x)  # @ x=[1,4,8,8]
        x = self.body[2:](x)  # @ x=[1,16,8,8]
        x = self.named(x)  # @ x=[1,16,8,8]
        for blk in self.blocks[::-1]:
            x = blk(x)  # @ x=[1,16,8,8]
        x = self.blocks[-1](x)
        v = x.flatten(2).mean(-1)  # @ v=[1,16]
        outs = {k: head(v) for k, head in self.heads.items()}  # @ outs['cls']=[1,5] outs['reg']=[1,2] <return>['cls']=[1,5] <return>['reg']=[1,2]
        return outs["cls"], outs["reg"]
`;
  const g = graphOf(runModelSrc(src, 'Stack()', ['1x3x8x8']));
  checkMarkers(src, g);
  const paths = [...new Set(g.modules.map((c) => c.path))];
  assert.deepEqual(paths, [
    '',
    'body.0',
    'body.1',
    'body.2',
    'body.3',
    'body.4',
    'body.5',
    'named',
    'named.conv',
    'named.act',
    'blocks.3',
    'blocks.2',
    'blocks.1',
    'blocks.0',
    'heads.cls',
    'heads.reg',
  ]);
  assert.equal(g.outputKind, 'tuple');
  assert.deepEqual(g.stateDict.map((e) => e.name).slice(0, 3), ['body.0.weight', 'body.0.bias', 'body.2.weight']);
});

test('loops: range/zip/enumerate/reversed, while with budget, comprehensions and list growth records', () => {
  const src = `
import torch
import torch.nn as nn
import torch.nn.functional as F


def pool_all(feats):
    return [F.adaptive_avg_pool2d(f, 1) for f in feats]


class Pyramid(nn.Module):
    def __init__(self, chans=(4, 8)):
        super().__init__()
        self.downs = nn.ModuleList([nn.Conv2d(c, c * 2, 3, stride=2, padding=1) for c in chans])

    def forward(self, x):
        feats = [x]  # @ feats[0]=[1,4,16,16]
        for i, down in enumerate(self.downs):
            feats.append(down(feats[-1]))  # @ feats[1]=[1,8,8,8] feats[2]=[1,16,4,4]
        n = 0
        while n < 3:
            n += 1
        outs = []
        for f, g in zip(reversed(feats), feats):
            outs.insert(0, f.sum(1, keepdim=True) + g.sum(1, keepdim=True).mean())  # @ outs[0]=[1,1,4,4]|[1,1,8,8]|[1,1,16,16] outs[1]=[1,1,4,4]|[1,1,8,8] outs[2]=[1,1,4,4]
        pooled = pool_all(feats)  # @ pooled[0]=[1,4,1,1] pooled[1]=[1,8,1,1] pooled[2]=[1,16,1,1]
        return torch.cat([p.flatten(1) for p in pooled], dim=1)  # @ p=[1,4,1,1]|[1,8,1,1]|[1,16,1,1] <return>[0]=[1,4] <return>[1]=[1,8] <return>[2]=[1,16] <return>=[1,28]
`;
  const g = graphOf(runModelSrc(src, 'Pyramid()', ['1x4x16x16']));
  checkMarkers(src, g);
  const lc = g.lines.filter((r) => r.func === '<listcomp>');
  assert.deepEqual([...new Set(lc.map((r) => `${r.qualname}@${r.owner}`))].sort(), [
    'Pyramid.forward.<locals>.<listcomp>@',
    'pool_all.<locals>.<listcomp>@null',
  ]);
  const helper = g.lines.filter((r) => r.func === 'pool_all');
  assert.ok(helper.length > 0 && helper.every((r) => r.owner === null));
  const loopVars = g.lines.filter((r) => r.var === 'f' && r.func === 'forward');
  assert.equal(loopVars.length, 3);
});

test('in-place ops, ReLU(inplace=True), register_buffer, nn.Parameter, self.training, no_grad, getattr/hasattr/setattr, isinstance', () => {
  const src = `
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, ch=8, use_gate=True):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.relu = nn.ReLU(inplace=True)
        self.register_buffer("mask", torch.ones(1, ch, 1, 1))
        self.alpha = nn.Parameter(torch.zeros(ch))
        setattr(self, "gate", nn.Sigmoid() if use_gate else None)
        self.skip = None

    def forward(self, x):  # @ x=[2,8,4,4]
        identity = x  # @ identity=[2,8,4,4]
        out = self.conv(x)  # @ out=[2,8,4,4]
        out += identity  # @ out=[2,8,4,4]
        out = self.relu(out)  # @ out=[2,8,4,4]
        out.unsqueeze_(0)  # @ out=[1,2,8,4,4]
        out.squeeze_(0)  # @ out=[2,8,4,4]
        if self.training:
            out = out * 0
        if getattr(self, "gate", None) is not None and hasattr(self, "alpha") and isinstance(self.gate, nn.Module):
            out = out * self.gate(out) * self.mask + self.alpha.view(1, -1, 1, 1)  # @ out=[2,8,4,4]
        if self.skip is not None:
            out = self.skip(out)
        with torch.no_grad():
            stat = out.detach().mean()  # @ stat=[]
        return out
`;
  const g = graphOf(runModelSrc(src, 'Block()', ['2x8x4x4']));
  checkMarkers(src, g);
  const mutate = g.lines.filter((r) => r.kind === 'mutate');
  assert.deepEqual(
    mutate.map((r) => `${r.var}@${r.line + 1}`),
    ['out@21', 'out@22'],
  );
  assert.equal(g.paramsTotal, 8 * 8 * 9 + 8);
  assert.deepEqual(
    g.stateDict.map((e) => `${e.name}:${e.role}`),
    ['alpha:param', 'mask:buffer', 'conv.weight:param'],
  );
  assert.deepEqual(
    g.stateDict.map((e) => e.init.kind),
    ['zeros', 'ones', 'kaiming_uniform'],
  );
  assert.deepEqual(
    g.modules.map((m) => m.path),
    ['', 'conv', 'relu', 'gate'],
  );
});

test('registration order follows torch: reassignment keeps the position, None entries are skipped, late modules go last', () => {
  const src = `
import torch.nn as nn


class Order(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 3, 1)
        self.gone = nn.ReLU()
        self.late = None
        self.b = nn.Conv2d(3, 3, 1)
        self.a = nn.Conv2d(3, 3, 3, padding=1)
        self.gone = None
        self.late = nn.Sigmoid()
        self.shared = self.b

    def forward(self, x):
        return self.late(self.shared(self.b(self.a(x))))
`;
  const g = graphOf(runModelSrc(src, 'Order()', ['1x3x4x4']));
  assert.deepEqual(
    g.modules.map((m) => m.path),
    ['', 'a', 'b', 'b', 'late'],
  );
  assert.deepEqual(
    g.stateDict.map((e) => `${e.name}${e.aliasOf ? `=${e.aliasOf}` : ''}`),
    ['a.weight', 'a.bias', 'b.weight', 'b.bias', 'shared.weight=b.weight', 'shared.bias=b.bias'],
  );
  assert.equal(g.paramsTotal, 3 * 3 * 9 + 3 + 3 * 3 + 3);
});

test('named-tuple results (.values/.indices) and values of constant tensors (linspace drop-path rates with .item())', () => {
  const src = `
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, rate):
        super().__init__()
        self.drop = nn.Dropout(rate) if rate > 0.0 else nn.Identity()

    def forward(self, x):
        return self.drop(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        rates = [r.item() for r in torch.linspace(0, 0.5, 3)]
        self.blocks = nn.Sequential(*[Block(r) for r in rates])
        self.ids = torch.arange(2, 8, 2).tolist()
        self.pick = torch.tensor([[1, 2], [3, 4]])[1].tolist()

    def forward(self, x):
        m = x.max(dim=1).values  # @ m=[2,5]
        i = torch.max(x, 1).indices  # @ i=[2,5]
        y = self.blocks(x)  # @ y=[2,4,5]
        return m[:, : self.ids[1]] + i[:, : self.pick[1]]
`;
  const g = graphOf(runModelSrc(src, 'Net()', ['2x4x5']));
  assert.equal(checkMarkers(src, g), 3);
  assert.deepEqual(
    g.modules.filter((m) => m.path.endsWith('.drop')).map((m) => `${m.path}:${m.type}`),
    ['blocks.0.drop:Identity', 'blocks.1.drop:Dropout', 'blocks.2.drop:Dropout'],
  );
  assert.deepEqual(
    g.values.get(g.outputs[0]!)!.shape!.map((d) => d.value),
    [2, 4],
  );
});

test('values of constant tensor arithmetic (RegNet stage widths), torch.diff, round half to even, Conv attributes as tuples', () => {
  const src = `
import math
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        widths_cont = torch.arange(6) * 36.44 + 24
        cap = torch.round(torch.log(widths_cont / 24) / math.log(2.49))
        self.widths = (torch.round(torch.divide(24 * torch.pow(2.49, cap), 8)) * 8).int().tolist()
        self.steps = torch.diff(torch.tensor([0, 1, 3, 6])).tolist()
        self.second = torch.diff(torch.tensor([[1, 4, 9], [2, 2, 7]]), n=2).tolist()
        self.even = torch.round(torch.tensor([0.5, 1.5, 2.5, 3.5])).int().tolist()
        self.mixed = (torch.tensor([7, -7]) // 2).tolist() + (2 ** torch.arange(4)).tolist() + (torch.arange(3) - torch.tensor([[1], [2]]))[1].tolist()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.k = self.conv.kernel_size[0] * self.conv.kernel_size[1] + self.conv.padding[1]

    def forward(self, x):
        w = torch.zeros(self.widths)  # @ w=[24,56,152,152,152,152]
        s = torch.zeros(self.steps + self.second[1])  # @ s=[1,2,3,5]
        e = torch.zeros(self.even)  # @ e=[0,2,2,4]
        m = torch.zeros([abs(v) for v in self.mixed])  # @ m=[3,4,1,2,4,8,2,1,0]
        k = torch.zeros(self.k)  # @ k=[10]
        return w, s, e, m, k
`;
  const g = graphOf(runModelSrc(src, 'Net()', ['2x4x5']));
  assert.equal(checkMarkers(src, g), 5);
});

test('keyword aliases of native ops: size=/shape=/dims= for *size parameters, axis=/keepdims=', () => {
  const src = `
import torch
import torch.nn as nn


class Net(nn.Module):
    def forward(self, x):
        z = torch.zeros(size=(2, 3))  # @ z=[2,3]
        o = torch.ones(size=[4])  # @ o=[4]
        v = x.view(size=(2, -1))  # @ v=[2,20]
        r = x.reshape(shape=(5, 8))  # @ r=[5,8]
        p = x.permute(dims=(2, 0, 1))  # @ p=[5,2,4]
        t = x.repeat(repeats=(1, 2, 1))  # @ t=[2,8,5]
        s = x.sum(axis=1, keepdims=True)  # @ s=[2,1,5]
        m = torch.mean(x, axis=-1)  # @ m=[2,4]
        return z, o, v, r, p, t, s, m
`;
  const g = graphOf(runModelSrc(src, 'Net()', ['2x4x5']));
  assert.equal(checkMarkers(src, g), 8);
});

test('binding errors: a parameter given twice (by position and keyword, or by name and alias) is reported', () => {
  const src = `
import torch
import torch.nn as nn


class Net(nn.Module):
    def forward(self, x):
        a = x.sum(1, dim=1)
        b = x.sum(dim=1, axis=1)
        c = torch.zeros(2, size=(2, 3))
        return x
`;
  const m = runModelSrc(src, 'Net()', ['2x4x5']);
  const msgs = m.diagnostics.filter((d) => d.code === 'call-args').map((d) => d.message);
  assert.equal(msgs.length, 3, msgs.join('; '));
  assert.ok(
    msgs.every((t) => /multiple values for argument '(dim|size)'/.test(t)),
    msgs.join('; '),
  );
});
