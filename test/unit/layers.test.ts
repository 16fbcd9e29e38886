// The layer rules of DESIGN.md: which src/core folders may import which, and that core never reaches VS Code or the DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const core = resolve(__dirname, '../../src/core');

/** Allowed imports per folder (arrows point one way). interp, weights and onnx read ModelGraph types from graph. */
const allowed: Record<string, readonly string[]> = {
  python: [],
  shape: [],
  ops: ['shape'],
  interp: ['python', 'shape', 'ops', 'graph'],
  graph: ['shape', 'ops'],
  onnx: ['graph', 'ops', 'shape'],
  weights: ['graph', 'ops', 'shape'],
  run: ['onnx', 'graph', 'shape'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importRe = /(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

for (const [layer, ok] of Object.entries(allowed)) {
  test(`src/core/${layer} imports only ${ok.length ? ok.join(', ') : 'nothing of ours'}`, () => {
    for (const file of files(join(core, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2]!;
        assert.notEqual(spec, 'vscode', `${relative(core, file)} imports vscode`);
        if (!spec.startsWith('.')) continue;
        const target = relative(core, resolve(file, '..', spec));
        assert.ok(!target.startsWith('..'), `${relative(core, file)} reaches outside src/core: ${spec}`);
        const targetLayer = target.split('/')[0]!;
        if (targetLayer === layer) continue;
        assert.ok(ok.includes(targetLayer), `${relative(core, file)} imports ${spec} (layer ${targetLayer} is not allowed for ${layer})`);
      }
      assert.doesNotMatch(text, /\b(document|window)\.(createElement|body|addEventListener)/, `${relative(core, file)} touches the DOM`);
    }
  });
}
