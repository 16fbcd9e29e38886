// Imports from a venv-like layout (an installed library with a decorator registry) and namespace packages, read from disk.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import { initTestParser } from '../support/pythonWasm';
import { spec } from '../support/interpHarness';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { loadFile } from '../../src/core/interp/runModel';
import { pyRepr } from '../../src/core/interp/tensorLeaves';
import { PythonParser } from '../../src/core/python/pythonParser';
import { importSources, noImportOptions } from '../../src/cli/importSources';

before(initTestParser);

const WS = resolve(__dirname, '../fixtures/envs/ws');
const FILE = join(WS, 'app/model.py');

function analyze(extra: Partial<Parameters<typeof analyzeSource>[0]> = {}) {
  // As the CLI would from the workspace folder: the .venv there is found, its site-packages searched.
  const src = importSources(FILE, noImportOptions(), {}, WS);
  return analyzeSource({ text: fs.readFileSync(FILE, 'utf8'), file: FILE, ...src, models: [{ expr: 'Classifier()', inputs: [spec('2x3x32x32')] }], ...extra });
}

test('an installed library in .venv/lib/python3.X/site-packages and a namespace package of the workspace', () => {
  const fa = analyze();
  const g = fa.models[0]!.graph;
  assert.ok(g, JSON.stringify(fa.models[0]!.diagnostics));
  assert.deepEqual(
    fa.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
  assert.deepEqual(
    g.modules.map((m) => `${m.path}:${m.type}`),
    [
      ':Classifier',
      'backbone:TinyConvNet',
      'backbone.features:Sequential',
      ...[0, 1, 2, 3, 4, 5].map((i) => `backbone.features.${i}:${i % 2 ? 'ReLU' : 'Conv2d'}`),
      'backbone.head:Linear',
      'head:MlpHead',
      'head.fc:Linear',
    ],
  );
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[2, 5]],
  );
});

test('without the folder check, a namespace package does not import (and says so)', () => {
  const fa = analyze({ isDir: undefined });
  assert.ok(
    fa.diagnostics.some((d) => d.code === 'unknown-import' && /parts\.heads\.mlp/.test(d.message)),
    JSON.stringify(fa.diagnostics),
  );
});

test('module objects: __name__, __file__, __path__, submodules bound on their package, __all__ for star imports', () => {
  const text = [
    'import tinyvision',
    'import tinyvision.models.convnet as cn',
    'import parts.heads.mlp',
    'NAME = cn.__name__',
    'FILE = cn.__file__',
    'SAME = tinyvision.models.convnet is cn',
    'NS = parts.heads.mlp.MlpHead.__name__',
    'ALL = tinyvision.__all__',
    'MODELS = tinyvision.list_models()',
    'import sys, os',
    "VARS = vars(cn)['__name__'], cn.__dict__['TinyConvNet'].__name__, globals()['NAME']",
    "SYS = sys.modules['tinyvision.registry'] is tinyvision.registry",
    "ENV = os.environ.get('TIMM_FUSED_ATTN', '0'), os.getenv('HOME')",
  ].join('\n');
  const file = join(WS, 'app/probe.py');
  const src = importSources(file, noImportOptions(), {}, WS);
  const parse = (t: string) => new PythonParser().parse(t).module;
  const { scope, ip } = loadFile({ file, maxSteps: 1e6, deadline: performance.now() + 10000, parse, ...src }, parse(text), 'probe');
  assert.deepEqual(
    ip.rec.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
  const g = (k: string) => pyRepr(scope.globals.get(k)!);
  assert.equal(g('NAME'), "'tinyvision.models.convnet'");
  assert.equal(g('FILE'), `'${join(WS, '.venv/lib/python3.11/site-packages/tinyvision/models/convnet.py')}'`);
  assert.equal(g('SAME'), 'True');
  assert.equal(g('NS'), "'MlpHead'");
  assert.equal(g('ALL'), "['create_model', 'list_models', 'register_model']");
  assert.equal(g('MODELS'), "['tiny_convnet', 'tiny_convnet_wide']");
  assert.equal(g('VARS'), "('tinyvision.models.convnet', 'TinyConvNet', 'tinyvision.models.convnet')");
  assert.equal(g('SYS'), 'True');
  // The analysed code's process is not this one: no environment variables.
  assert.equal(g('ENV'), "('0', None)");
});
