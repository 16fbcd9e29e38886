// Shared by the oracle tests: runs a manifest's cases through the analysis and compares them with PyTorch's records exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeSource, type ModelRequest } from '../../src/core/interp/analyzeFile';
import { parseInputSpec, type InputSpec } from '../../src/core/interp/inputSpec';
import { shapesJson } from '../../src/cli/oracleJson';
import { initTestParser } from './pythonWasm';
import { checkGraph } from './interpHarness';

/** What every manifest case says about its model: the file, how to build it and its inputs. */
export interface CaseModel {
  id: string;
  file: string;
  /** Dotted module name the case imports (`pkg.net`): its package root is an import search root. */
  module?: string;
  class?: string;
  builder?: string;
  kwargs?: Record<string, unknown>;
  inputs: { name: string; shape: number[]; dtype?: string }[];
  input_kind?: string;
}

export interface Case extends CaseModel {
  expected: string;
}

/** The folder a dotted module name is imported from (`models/pkg/net.py` as `pkg.net` → `models`). */
export function packageRoot(file: string, module: string | undefined): string {
  let root = dirname(file);
  for (let i = 1; i < (module?.split('.').length ?? 1); i++) root = dirname(root);
  return root;
}

/** The Python literal compare_cli.py writes for a kwargs value. */
export function pyLiteral(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `'${k}': ${pyLiteral(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** The model request a case describes: `Builder(k=v, …)` in its file's scope, on the case's inputs. */
export function caseModel(c: CaseModel): ModelRequest {
  const expr = `${c.class ?? c.builder}(${Object.entries(c.kwargs ?? {})
    .map(([k, v]) => `${k}=${pyLiteral(v)}`)
    .join(', ')})`;
  const inputs: InputSpec[] = c.inputs.map((i) => {
    const s = parseInputSpec(`${i.name}=${i.shape.join('x')}${i.dtype && i.dtype !== 'float32' ? `:${i.dtype}` : ''}`);
    assert.ok(typeof s !== 'string', `${c.id}: ${String(s)}`);
    return s;
  });
  return { expr, inputs, inputKind: c.input_kind === 'list' || c.input_kind === 'dict' ? c.input_kind : 'args' };
}

const modKeys = (records: { path: string; type: string; out: unknown; params: unknown }[]) => {
  const seen = new Map<string, number>();
  const keys = new Map<string, string>();
  for (const r of records) {
    const n = (seen.get(r.path) ?? 0) + 1;
    seen.set(r.path, n);
    keys.set(`${r.path}#${n}`, JSON.stringify([r.type, r.out, r.params]));
  }
  return keys;
};
const lineSet = (records: { owner: unknown; func: string; line: number; var: string; shape: unknown }[]) =>
  new Set(records.map((r) => JSON.stringify([r.owner, r.func, r.line, r.var, r.shape])));

/** One test with a subtest per case; `fileOf` maps the manifest's file field to a path (null: skip the whole manifest). */
export function manifestTest(title: string, manifestPath: string, fileOf: (f: string) => string | null, skipReason: string | null): void {
  if (skipReason) {
    test(title, (t) => {
      t.skip(skipReason);
    });
    return;
  }
  const base = dirname(manifestPath);
  const cases = JSON.parse(readFileSync(manifestPath, 'utf8')) as Case[];
  test(title, async (t) => {
    await initTestParser();
    let exact = 0;
    for (const c of cases) {
      await t.test(c.id, () => {
        const file = fileOf(c.file) ?? resolve(base, c.file);
        const expected = JSON.parse(readFileSync(join(base, c.expected), 'utf8'));
        const fa = analyzeSource({
          text: readFileSync(file, 'utf8'),
          file,
          readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
          searchRoots: [...new Set([dirname(file), packageRoot(file, c.module)])],
          models: [caseModel(c)],
        });
        const g = fa.models[0].graph;
        assert.ok(g, `${c.id}: no graph: ${fa.models[0].diagnostics.map((d) => d.message).join('; ')}`);
        checkGraph(g);
        const got = shapesJson(g);
        assert.deepEqual([...modKeys(got.modules)], [...modKeys(expected.modules)], `${c.id}: module records`);
        assert.deepEqual([...lineSet(got.lines)].sort(), [...lineSet(expected.lines)].sort(), `${c.id}: line records`);
        assert.equal(got.params_total, expected.params_total, `${c.id}: params_total`);
        assert.deepEqual(got.outputs, expected.outputs, `${c.id}: outputs`);
        assert.equal(got.output_kind, expected.output_kind, `${c.id}: output_kind`);
        assert.deepEqual(got.output_dtypes, expected.output_dtypes, `${c.id}: output dtypes`);
        assert.deepEqual(
          got.modules.map((m) => m.depth),
          expected.modules.map((m: { depth: number }) => m.depth),
          `${c.id}: call depths`,
        );
        assert.deepEqual(
          got.modules.map((m) => m.in),
          expected.modules.map((m: { in: unknown }) => m.in),
          `${c.id}: module inputs`,
        );
        assert.deepEqual(
          got.lines.map((l) => [l.kind, l.qualname, l.dtype]).sort(),
          expected.lines.map((l: { kind: string; qualname: string; dtype: string }) => [l.kind, l.qualname, l.dtype]).sort(),
          `${c.id}: line kinds/qualnames`,
        );
        exact++;
      });
    }
    assert.equal(exact, cases.length, `${exact}/${cases.length} cases exact`);
  });
}
