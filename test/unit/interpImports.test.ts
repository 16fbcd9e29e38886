// Imports of other Python files: relative imports inside a package, absolute imports from the package root or workspace.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { spec } from '../support/interpHarness';

before(initTestParser);

const FILES: Record<string, string> = {
  '/ws/proj/models/__init__.py': 'from .blocks import ConvBlock\n',
  '/ws/proj/models/blocks.py': [
    'import torch.nn as nn',
    'from ..utils.sizes import double',
    '',
    'class ConvBlock(nn.Module):',
    '    def __init__(self, cin, cout):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(cin, double(cout) // 2, 3, padding=1)',
    '        self.act = nn.ReLU()',
    '',
    '    def forward(self, x):',
    '        return self.act(self.conv(x))',
  ].join('\n'),
  '/ws/proj/utils/__init__.py': '',
  '/ws/proj/utils/sizes.py': 'WIDTH = 8\n\ndef double(n):\n    return n * 2\n',
  '/ws/proj/__init__.py': '',
  '/ws/lib/heads.py':
    'import torch.nn as nn\n\nclass Head(nn.Module):\n    def __init__(self, c):\n        super().__init__()\n        self.fc = nn.Linear(c, 3)\n\n    def forward(self, x):\n        return self.fc(x.mean((2, 3)))\n',
};

const readFile = (p: string) => FILES[p.replace(/\\/g, '/')] ?? null;

test('relative and absolute imports resolve across files; only the analysed file is traced', () => {
  const text = [
    'import torch',
    'import torch.nn as nn',
    'from proj.models import ConvBlock',
    'from proj.utils.sizes import WIDTH',
    'import proj.utils.sizes as sizes',
    'from heads import Head',
    '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.block = ConvBlock(3, WIDTH)',
    '        self.head = Head(sizes.double(4))',
    '',
    '    def forward(self, x):',
    '        y = self.block(x)',
    '        return self.head(y)',
  ].join('\n');
  const fa = analyzeSource({
    text,
    file: '/ws/proj/net.py',
    readFile,
    searchRoots: ['/ws', '/ws/lib'],
    models: [{ expr: 'Net()', inputs: [spec('2x3x8x8')] }],
  });
  const g = fa.models[0].graph;
  assert.ok(g, JSON.stringify(fa.models[0].diagnostics));
  assert.deepEqual(
    fa.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
  assert.deepEqual(
    g.modules.map((m) => `${m.path}:${m.type}`),
    [':Net', 'block:ConvBlock', 'block.conv:Conv2d', 'block.act:ReLU', 'head:Head', 'head.fc:Linear'],
  );
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[2, 3]],
  );
  // Line records come from net.py only (like the oracle's tracer, limited to the model's own file).
  assert.ok(g.lines.length > 0 && g.lines.every((l) => l.qualname.startsWith('Net.')));
  // Graph nodes of imported code carry their own file.
  assert.ok(g.nodes.some((n) => n.range?.file === '/ws/proj/models/blocks.py'));
});

test('an unresolvable import is a diagnostic at the import; the rest of the file is analysed', () => {
  const text =
    'import torch.nn as nn\nfrom proj.nothing import Thing\n\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.l(x)\n';
  const fa = analyzeSource({ text, file: '/ws/proj/a.py', readFile, searchRoots: ['/ws'], inputOverrides: { A: [spec('5x4')] } });
  const d = fa.diagnostics.find((x) => x.code === 'unknown-import');
  assert.ok(d && d.range?.startLine === 1);
  const a = fa.classes.find((c) => c.name === 'A');
  assert.deepEqual(
    a?.graph?.outputs.map((id) => a.graph!.values.get(id)?.shape?.map((x) => x.value)),
    [[5, 2]],
  );
});

test('torch.nn.modules and its submodules give the same layer classes as torch.nn; absent optional tensors are None', () => {
  const text = [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.modules as M',
    'import torch.nn.modules.conv as mconv',
    'from torch.nn.modules.batchnorm import BatchNorm2d',
    'from torch.nn.modules.instancenorm import InstanceNorm2d',
    'from torch.nn.modules import Linear, Sequential',
    'from torch.nn.modules.module import Module',
    'from torch.nn.modules.utils import _pair, _ntuple',
    '',
    'class Net(Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        k = _pair(3)',
    '        p = _ntuple(2)([1, 1])',
    '        self.body = Sequential(mconv.Conv2d(3, 8, k, padding=p, bias=False), BatchNorm2d(8), InstanceNorm2d(8), M.ReLU())',
    '        self.fc = Linear(8, 2)',
    '        for m in self.modules():',
    '            if isinstance(m, (nn.BatchNorm2d, nn.InstanceNorm2d, nn.Conv2d)):',
    '                if m.bias is not None:',
    '                    nn.init.constant_(m.bias, 0)',
    '        self.flags = [self.body[0].bias is None, self.body[1].bias is None, self.body[2].weight is None, self.body[2].running_mean is None]',
    '',
    '    def forward(self, x):',
    '        assert self.flags == [True, False, True, True]',
    '        return self.fc(self.body(x).mean((2, 3)))',
  ].join('\n');
  const fa = analyzeSource({ text, file: '/ws/net.py', readFile, searchRoots: ['/ws'], models: [{ expr: 'Net()', inputs: [spec('2x3x8x8')] }] });
  const g = fa.models[0].graph;
  assert.ok(g, JSON.stringify(fa.models[0].diagnostics));
  assert.deepEqual(
    [...fa.diagnostics, ...fa.models[0].diagnostics].filter((d) => d.severity !== 'info'),
    [],
  );
  assert.deepEqual(
    g.modules.map((m) => `${m.path}:${m.type}`),
    [':Net', 'body:Sequential', 'body.0:Conv2d', 'body.1:BatchNorm2d', 'body.2:InstanceNorm2d', 'body.3:ReLU', 'fc:Linear'],
  );
  assert.deepEqual(
    g.modules.map((m) => m.params),
    [0, 0, 216, 16, 0, 0, 18],
  );
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[2, 2]],
  );
});
