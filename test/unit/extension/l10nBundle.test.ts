// Every user-visible string of the extension has a zh-cn translation: manifest (package.nls), host (l10n bundle) and webviews (their catalog, translated through the same bundle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEBVIEW_STRINGS } from '../../../src/webviewStrings';
import { repoRoot } from '../../support/pythonWasm';

const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(join(repoRoot, p), 'utf8')) as Record<string, unknown>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : n.endsWith('.ts') ? [p] : [];
  });
}

test('every %key% of package.json is in package.nls.json and package.nls.zh-cn.json', () => {
  const manifest = readFileSync(join(repoRoot, 'package.json'), 'utf8');
  const keys = [...manifest.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!);
  assert.ok(keys.length > 10);
  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');
  for (const k of keys) {
    assert.equal(typeof en[k], 'string', `package.nls.json lacks ${k}`);
    assert.equal(typeof zh[k], 'string', `package.nls.zh-cn.json lacks ${k}`);
  }
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
});

test('every vscode.l10n.t string of src/extension has a zh-cn translation with the same placeholders', () => {
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
  const strings = new Set<string>();
  for (const f of sources(join(repoRoot, 'src/extension'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) strings.add(m[1]!.replace(/\\'/g, "'"));
  }
  assert.ok(strings.size > 10);
  for (const s of strings) {
    const zh = bundle[s];
    assert.equal(typeof zh, 'string', `no zh-cn translation for ${JSON.stringify(s)}`);
    const holes = (x: string): string[] => [...x.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    assert.deepEqual(holes(zh as string), holes(s), `placeholders of ${JSON.stringify(s)}`);
  }
});

test('every webview string of the catalog has a zh-cn translation in the l10n bundle', () => {
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
  const texts = Object.values(WEBVIEW_STRINGS);
  assert.ok(texts.length > 50);
  for (const text of texts) assert.equal(typeof bundle[text], 'string', `no zh-cn translation for the webview string ${JSON.stringify(text)}`);
});
