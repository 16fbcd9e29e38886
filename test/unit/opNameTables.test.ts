// Issue #11: what an op does is stated by its registry entry (src/core/ops); the interpreter and the graph analyses
// read the entry's hooks and the node's role, never a table or a test keyed by op names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allModuleOps, functionOp } from '../../src/core/ops/index';

const root = join(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The code (comments removed) of every file of src/core/interp and src/core/graph, the layers that must not know op names. */
function interpAndGraphCode(): { file: string; code: string }[] {
  return ['src/core/interp', 'src/core/graph'].flatMap((dir) =>
    tsFiles(join(root, dir)).map((file) => ({
      file,
      code: readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, ''),
    })),
  );
}

/** Python module paths the interpreter resolves as namespaces (not ops), and type names it reports. */
const NAMESPACES = /^torch\.(nn|utils|jit|cuda|backends|_C|fx|linalg|fft|special|autograd)(\.|$)|^torch\.(dtype|device|Size|Generator|Tensor)$/;

const KEY = String.raw`'((?:torch|Tensor|op|F|nn|einops)\.[A-Za-z_][\w.]*)'`;
/** Op keys in a matching position: a case label, either side of ===/!==, an object-literal key, a Set/Map lookup. */
const MATCHING = new RegExp(
  String.raw`case\s+${KEY}\s*:|[!=]==\s*${KEY}|${KEY}\s*[!=]==|^\s*${KEY}\s*:|\.(?:has|get)\(\s*${KEY}\s*\)|new (?:Set|Map)[^;]*?${KEY}`,
  'gm',
);

test('no op-name matching in src/core/interp or src/core/graph (namespaces of Python modules excepted)', () => {
  const bad: string[] = [];
  for (const { file, code } of interpAndGraphCode()) {
    for (const m of code.matchAll(MATCHING)) {
      const key = m.slice(1).find((g) => g !== undefined)!;
      if (!NAMESPACES.test(key)) bad.push(`${relative(root, file)}: ${m[0].trim()}`);
    }
    for (const m of code.matchAll(/\/[^/\n]+\/[a-z]*\.test\(\s*[\w.]*\bop\s*\)|\bop\.(?:startsWith|endsWith|includes)\(/g))
      bad.push(`${relative(root, file)}: ${m[0]}`);
  }
  assert.deepEqual(bad, []);
});

test('no regex over layer type names in src/core/interp or src/core/graph (what a layer type means is a hook of its entry)', () => {
  // The stems of the registered nn layer types (`Conv` of Conv2d, `BatchNorm` of LazyBatchNorm1d), longer than 3 letters.
  const stems = new Set(
    allModuleOps()
      .map((d) => d.type.replace(/^Lazy/, '').replace(/\d*d?$/, ''))
      .filter((s) => s.length > 3),
  );
  const bad: string[] = [];
  for (const { file, code } of interpAndGraphCode()) {
    for (const m of code.matchAll(/(?<=[=(,:[]\s*)\/(?![/*])(?:\\.|[^/\n])+\/[dgimsuy]*/g)) {
      const hit = [...stems].find((stem) => m[0].includes(stem));
      if (hit) bad.push(`${relative(root, file)}: ${m[0]} (${hit})`);
    }
  }
  assert.deepEqual(bad, []);
});

test('value folding is a hook of the entries that fold values', () => {
  for (const key of [
    'torch.linspace',
    'torch.arange',
    'torch.tensor',
    'torch.eye',
    'torch.exp',
    'Tensor.round',
    'op.add',
    'op.neg',
    'Tensor.float',
    'torch.diff',
  ]) {
    assert.equal(typeof functionOp(key)?.constValues, 'function', key);
  }
  for (const key of ['torch.cat', 'F.relu', 'Tensor.view']) assert.equal(functionOp(key)?.constValues, undefined, key);
});
