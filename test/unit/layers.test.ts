// The layer rules of DESIGN.md: which folders may import which, that only the extension's host folder reaches VS Code and that core never touches the DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/**
 * The units of the layer rules, each a folder (or file) of the repository, and the units each may import (arrows point
 * one way). interp, weights and onnx read ModelGraph types from graph; graph reads only types of ops (nodes carry their role);
 * the protocol carries graph payload types and run backend types.
 */
const core = ['python', 'shape', 'ops', 'interp', 'graph', 'onnx', 'weights', 'run'].map((l) => `src/core/${l}`);
const allowed: Record<string, readonly string[]> = {
  'src/core/python': [],
  'src/core/shape': [],
  'src/core/ops': ['src/core/shape'],
  'src/core/interp': ['src/core/python', 'src/core/shape', 'src/core/ops', 'src/core/graph'],
  'src/core/graph': ['src/core/shape', 'src/core/ops'],
  'src/core/onnx': ['src/core/graph', 'src/core/ops', 'src/core/shape'],
  'src/core/weights': ['src/core/graph', 'src/core/ops', 'src/core/shape'],
  'src/core/run': ['src/core/onnx', 'src/core/graph', 'src/core/shape'],
  'src/protocol.ts': ['src/core/graph', 'src/core/run', 'src/webviewStrings.ts', 'src/protocolPrimitives.ts'],
  // The checkpoint viewer's messages (it embeds the graph view, so it reads the graph messages too).
  'src/protocolCheckpoint.ts': ['src/protocol.ts', 'src/protocolPrimitives.ts', 'src/core/graph'],
  // The protocol's wire primitives (Bytes encoding, validator building blocks).
  'src/protocolPrimitives.ts': [],
  // The webviews' UI strings (English source texts), translated by the host.
  'src/webviewStrings.ts': [],
  'src/cli': core,
  'src/cli.ts': [...core, 'src/cli'],
  // The engine service: what the analysis worker and dist/engine.js run. Plain Node, never VS Code. Its worker channel
  // (analysisWorkerProtocol.ts) builds its validators from the protocol's wire primitives.
  'src/extension/service': [...core, 'src/protocol.ts', 'src/protocolPrimitives.ts'],
  // The VS Code glue: providers, commands, views, panels. The only place that imports `vscode`.
  'src/extension/host': [...core, 'src/protocol.ts', 'src/protocolCheckpoint.ts', 'src/webviewStrings.ts', 'src/extension/service'],
  'webview/shared': ['src/protocol.ts', 'src/webviewStrings.ts', 'src/core/graph', 'src/core/run', 'src/core/shape', 'src/core/weights'],
  'webview/graphView': ['webview/shared', 'src/protocol.ts', 'src/core/graph', 'src/core/shape'],
  'webview/runPanel': ['webview/shared', 'src/protocol.ts', 'src/core/run', 'src/core/weights', 'src/core/shape', 'src/core/graph'],
};
/** Units that may import the `vscode` module. */
const vscodeUnits = new Set(['src/extension/host']);

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((n) => {
    const p = join(path, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The unit a repository-relative path belongs to (longest matching unit), or undefined outside every unit. */
function unitOf(rel: string): string | undefined {
  let best: string | undefined;
  for (const u of Object.keys(allowed)) {
    const hit = rel === u || `${rel}.ts` === u || rel.startsWith(`${u}/`);
    if (hit && (!best || u.length > best.length)) best = u;
  }
  return best;
}

const importRe = /(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)/g;

/** Import specifiers of a file, comments removed first so prose that mentions `import x from '…'` is not counted. */
function imports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(importRe)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

test('every source file belongs to a unit of the layer rules', () => {
  const src = files(join(root, 'src')).map((f) => relative(root, f));
  assert.deepEqual(
    src.filter((f) => !unitOf(f)),
    [],
  );
});

for (const [unit, ok] of Object.entries(allowed)) {
  const rules = ok.length ? ok.join(', ') : 'nothing of ours';
  test(`${unit} imports only ${rules}${vscodeUnits.has(unit) ? ' (and vscode)' : ''}`, () => {
    const own = files(join(root, unit)).filter((f) => unitOf(relative(root, f)) === unit);
    assert.ok(own.length > 0, `${unit} has no files`);
    for (const file of own) {
      const rel = relative(root, file);
      const text = readFileSync(file, 'utf8');
      for (const spec of imports(text)) {
        if (spec === 'vscode') {
          assert.ok(vscodeUnits.has(unit), `${rel} imports vscode (only ${[...vscodeUnits].join(', ')} may)`);
          continue;
        }
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(file, '..', spec));
        const targetUnit = unitOf(target);
        assert.ok(targetUnit, `${rel} imports ${spec}, outside every unit`);
        if (targetUnit === unit) continue;
        assert.ok(ok.includes(targetUnit), `${rel} imports ${spec} (${targetUnit} is not allowed for ${unit})`);
      }
      if (unit.startsWith('src/core/')) {
        assert.doesNotMatch(text, /\b(document|window)\.(createElement|body|addEventListener)/, `${rel} touches the DOM`);
      }
    }
  });
}

test('the engine service folder never imports vscode, not even as a type', () => {
  for (const file of files(join(root, 'src/extension/service'))) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /from\s+'vscode'|import\(\s*'vscode'\s*\)|require\(\s*'vscode'\s*\)/, relative(root, file));
  }
});

test('the host folder holds only files that use VS Code (the rest belongs to the service)', () => {
  const plain = files(join(root, 'src/extension/host')).filter((f) => !imports(readFileSync(f, 'utf8')).includes('vscode'));
  assert.deepEqual(
    plain.map((f) => relative(root, f)),
    [],
  );
});

/** Value imports of a file (not `import type`/`export type`, not imports whose every name is `type X`), resolved to files. */
function valueImports(file: string): string[] {
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/^(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'(\.[^']+)'/gm)) {
    if (m[2]) continue;
    const names = /\{([^}]*)\}/.exec(m[3]!);
    const bare = m[3]!.replace(/\{[^}]*\}/, '').replace(/[,\s]/g, '');
    if (names && !bare && names[1]!.split(',').every((n) => !n.trim() || /^type\s/.test(n.trim()))) continue;
    const target = resolve(file, '..', m[4]!);
    for (const cand of [`${target}.ts`, join(target, 'index.ts'), target]) {
      if (cand.endsWith('.ts') && statSync(cand, { throwIfNoEntry: false })?.isFile()) {
        out.push(cand);
        break;
      }
    }
  }
  return out;
}

test('no import cycle of value imports in src/', () => {
  const all = files(join(root, 'src'));
  const graph = new Map(all.map((f) => [f, valueImports(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(root, p)).join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of all) visit(f, []);
  assert.deepEqual(cycles, []);
});

test('no file in src/ is over 600 lines', () => {
  const long = files(join(root, 'src'))
    .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length - 1] as const)
    .filter(([, n]) => n > 600);
  assert.deepEqual(long, []);
});

test('graph never reads the op registry: nodes carry their role, ops is imported for types only', () => {
  for (const file of files(join(root, 'src/core/graph'))) {
    const reached = valueImports(file).filter((f) => relative(root, f).startsWith('src/core/ops/'));
    assert.deepEqual(
      reached.map((f) => relative(root, f)),
      [],
      `${relative(root, file)} reads the op registry`,
    );
  }
});
