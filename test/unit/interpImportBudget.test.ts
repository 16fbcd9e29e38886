// Imports run under a budget of their own: a library's one-time import (timm: seconds) does not eat the analysis' budget,
// and a module the import budget cuts is reported at the import and imported again at the next analysis.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTestParser } from '../support/pythonWasm';
import { analyzeSource, type AnalyzeRequest } from '../../src/core/interp/analyzeFile';

before(initTestParser);

// A registry filled by a long module-level loop before the builder registers: cut short, the builder is missing.
const LIBRARY = `import torch.nn as nn

_registry = {}
for i in range(3000):
    _registry['entry_%d' % i] = i


def register(fn):
    _registry[fn.__name__] = fn
    return fn


@register
def tiny_head(num_classes=10):
    return nn.Linear(16, num_classes)


def create(name, **kwargs):
    if name not in _registry:
        raise RuntimeError('Unknown model (%s)' % name)
    return _registry[name](**kwargs)
`;

const USER = `import torch.nn as nn
import slowlib


# fusion-lens: input=2x16
class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = slowlib.create('tiny_head', num_classes=4)

    def forward(self, x):
        logits = self.head(x)
        return logits
`;

/** A workspace and an environment's site-packages holding slowlib, in fresh folders (module worlds are per search roots). */
function workspace(library = LIBRARY): { file: string; req: (extra?: Partial<AnalyzeRequest>) => AnalyzeRequest } {
  const root = mkdtempSync(join(tmpdir(), 'fl-import-budget-'));
  const ws = join(root, 'ws');
  const site = join(root, 'venv', 'lib', 'python3.11', 'site-packages');
  mkdirSync(join(site, 'slowlib'), { recursive: true });
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(site, 'slowlib', '__init__.py'), library);
  const file = join(ws, 'model.py');
  writeFileSync(file, USER);
  const readFile = (p: string): string | null => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  };
  const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  return { file, req: (extra = {}) => ({ text: USER, file, readFile, isDir, searchRoots: [ws, site], ...extra }) };
}

function logits(fa: ReturnType<typeof analyzeSource>): number[] | undefined {
  const g = fa.classes.find((c) => c.name === 'Classifier')?.graph;
  return g?.lines.find((r) => r.var === 'logits')?.shape?.map((d) => d.value ?? -1);
}

test("a library's import does not count against the analysis' step budget", () => {
  const { req } = workspace();
  // The import alone takes more than 4,000 steps; the model itself far fewer.
  const fa = analyzeSource(req({ budget: { maxSteps: 4000, timeMs: 60_000 } }));
  const c = fa.classes.find((x) => x.name === 'Classifier')!;
  assert.deepEqual(logits(fa), [2, 4], JSON.stringify(c.diagnostics));
  assert.deepEqual(
    fa.diagnostics.filter((d) => d.code === 'budget'),
    [],
  );
});

test('an import cut by the import budget is reported at the import line and imported again by the next analysis', () => {
  const { req } = workspace();
  const cut = analyzeSource(req({ importBudget: { maxSteps: 1000, timeMs: 60_000 } }));
  const warning = cut.diagnostics.find((d) => d.code === 'budget');
  assert.ok(warning, JSON.stringify(cut.diagnostics));
  assert.equal(warning.severity, 'warning');
  assert.equal(warning.range?.startLine, 1, 'at `import slowlib`');
  assert.match(warning.message, /importing slowlib stopped: the import budget .* ran out in slowlib/);
  assert.equal(logits(cut), undefined);
  // Whatever the cut left undefined is not the user's error.
  assert.deepEqual(
    cut.classes.flatMap((c) => c.diagnostics).filter((d) => d.severity === 'error'),
    [],
  );
  // Same roots, so the same module world: the cut module is not reused as if it were complete.
  const again = analyzeSource(req());
  assert.deepEqual(logits(again), [2, 4], JSON.stringify(again.classes.map((c) => c.diagnostics)));
  assert.deepEqual(
    again.diagnostics.filter((d) => d.code === 'budget'),
    [],
  );
});

test('a class result computed on a cut import is not kept for reuse (per-document cache)', () => {
  const { req } = workspace();
  const kept: string[] = [];
  const memo = { get: () => undefined, set: (def: { name: string }) => void kept.push(def.name) };
  analyzeSource(req({ importBudget: { maxSteps: 1000, timeMs: 60_000 } }), undefined, undefined, memo);
  assert.deepEqual(kept, []);
  analyzeSource(req(), undefined, undefined, memo);
  assert.deepEqual(kept, ['Classifier']);
});

test("an exception raised because a cut import left its registry unfilled is a warning that names the cut, not the user's error", () => {
  // `create` is defined before the long loop, the builder after it: the cut leaves `create` callable and the registry empty.
  const lib = LIBRARY.replace('def create(', 'def _unused(').replace(
    'import torch.nn as nn\n',
    "import torch.nn as nn\n\n\ndef create(name, **kwargs):\n    if name not in _registry:\n        raise RuntimeError('Unknown model (%s)' % name)\n    return _registry[name](**kwargs)\n",
  );
  const { req } = workspace(lib);
  const cut = analyzeSource(req({ importBudget: { maxSteps: 1000, timeMs: 60_000 } }));
  const diags = cut.classes.flatMap((c) => c.diagnostics);
  const raised = diags.find((d) => d.code === 'raise');
  assert.ok(raised, JSON.stringify(diags));
  assert.equal(raised.severity, 'warning');
  assert.match(raised.message, /Unknown model \(tiny_head\).*cut short by the import budget/);
  assert.deepEqual(
    diags.filter((d) => d.severity === 'error'),
    [],
  );
  // Without the cut the same library builds the model.
  assert.deepEqual(logits(analyzeSource(req())), [2, 4]);
});
