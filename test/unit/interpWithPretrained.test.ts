// The with-statement protocol of user classes, and pretrained=True to library code analysed as False (with an info).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { PythonParser } from '../../src/core/python/pythonParser';
import { loadFile } from '../../src/core/interp/runModel';
import { pyRepr } from '../../src/core/interp/tensorLeaves';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { spec } from '../support/interpHarness';

before(initTestParser);

const WITH = `LOG = []
class Ctx:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        LOG.append('enter ' + self.name)
        return self.name.upper()
    def __exit__(self, *args):
        LOG.append('exit %s %s' % (self.name, args[0] is not None))
        return self.swallow

with Ctx('a') as x, Ctx('b') as y:
    LOG.append(x + y)
with Ctx('c', swallow=True):
    raise ValueError('boom')
try:
    with Ctx('d'):
        raise KeyError('k')
except KeyError:
    LOG.append('caught')
def f():
    with Ctx('e'):
        return 1
R = f()
`;

test('with: __enter__ value bound, __exit__ on every way out, a true __exit__ swallows (as CPython)', () => {
  const parse = (t: string) => new PythonParser().parse(t).module;
  const { scope, ip } = loadFile({ file: '/w/with.py', maxSteps: 100000, deadline: performance.now() + 5000, parse, searchRoots: [] }, parse(WITH), 'w');
  assert.deepEqual(ip.rec.diagnostics, []);
  // Recorded with CPython 3.11.
  assert.equal(
    pyRepr(scope.globals.get('LOG')!),
    "['enter a', 'enter b', 'AB', 'exit b False', 'exit a False', 'enter c', 'exit c True', 'enter d', 'exit d True', 'caught', 'enter e', 'exit e False']",
  );
  assert.equal(pyRepr(scope.globals.get('R')!), '1');
});

test('pretrained=True passed to library code is analysed as False, with an info at the call', () => {
  const lib = [
    'import torch.nn as nn',
    'def load_weights(m):',
    "    raise RuntimeError('no network in the analysis')",
    'def build(width=4, pretrained=False):',
    '    m = nn.Linear(3, width)',
    '    if pretrained:',
    '        load_weights(m)',
    '    return m',
  ].join('\n');
  const text = [
    'import torch.nn as nn',
    'from zoo import build',
    '',
    'class M(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.body = build(8, pretrained=True)',
    '',
    '    def forward(self, x):',
    '        return self.body(x)',
    '',
  ].join('\n');
  const readFile = (p: string) => (p === '/lib/zoo.py' ? lib : null);
  const fa = analyzeSource({ text, file: '/ws/m.py', readFile, searchRoots: ['/lib'], models: [{ expr: 'M()', inputs: [spec('2x3')] }] });
  const m = fa.models[0]!;
  assert.ok(m.graph, JSON.stringify(m.diagnostics));
  const info = m.diagnostics.find((d) => d.code === 'pretrained-weights');
  assert.equal(info?.severity, 'info');
  assert.equal(info?.range?.startLine, 6);
  assert.match(info!.message, /not fetched/);
  assert.ok(!m.diagnostics.some((d) => d.severity === 'error'));
});
