// The webview shell and workspace path checks, run against a minimal stand-in for the `vscode` module: CSP, resource roots, nonces, paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { posix } from 'node:path';
import { WEBVIEW_STRINGS } from '../../src/webviewStrings';

class FakeUri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
  /** Like vscode.Uri.joinPath: posix join (normalising `..`) onto the base path. */
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri(base.scheme, base.authority, posix.join(base.path, ...parts));
  }
}

const fakeVscode = {
  Uri: FakeUri,
  env: { language: 'en' },
  // Stands in for a translation: marks every text it was asked for.
  l10n: { t: (message: string): string => `«${message}»` },
  workspace: { workspaceFolders: [] as { uri: FakeUri }[], asRelativePath: (u: FakeUri) => u.path },
};

// The extension modules `import * as vscode from 'vscode'`; under tsx that is a CommonJS require we can answer.
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };
const realLoad = mod._load;
mod._load = function (request, parent, isMain) {
  return request === 'vscode' ? fakeVscode : realLoad.call(this, request, parent, isMain);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const html = require('../../src/extension/host/webviewHtml') as typeof import('../../src/extension/host/webviewHtml');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const paths = require('../../src/extension/host/workspacePaths') as typeof import('../../src/extension/host/workspacePaths');
mod._load = realLoad;

const CSP_SOURCE = 'https://ext.vscode-cdn.example';
const extensionUri = new FakeUri('file', '', '/ext/fusion-lens');
const webview = {
  cspSource: CSP_SOURCE,
  asWebviewUri: (u: FakeUri) => new FakeUri('https', 'ext.vscode-cdn.example', u.path),
};

function shell(wasm: boolean, bundle = wasm ? 'runPanel' : 'graphView'): { html: string; csp: Map<string, string[]> } {
  const out = html.buildWebviewHtml(webview as never, extensionUri as never, { bundle, title: 'T', wasm });
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(out);
  assert.ok(meta, 'CSP meta tag');
  const csp = new Map(
    meta[1]!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k!, v]),
  );
  return { html: out, csp };
}

for (const wasm of [false, true]) {
  const name = wasm ? 'run panel' : 'graph view';
  test(`${name}: CSP is default-src 'none', scripts by nonce only, ${wasm ? "with 'wasm-unsafe-eval'" : "no 'wasm-unsafe-eval'"}, no remote origin`, () => {
    const { html: page, csp } = shell(wasm);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const script = csp.get('script-src')!;
    const nonce = script.find((s) => s.startsWith("'nonce-"))!.slice(7, -1);
    assert.ok(nonce.length >= 22, 'a nonce of at least 128 bits');
    assert.ok(!script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'") && !script.includes("'strict-dynamic'"));
    assert.equal(script.includes("'wasm-unsafe-eval'"), wasm);
    // The run panel may load onnxruntime-web's loader from the extension's own origin; the graph view loads nothing by origin.
    assert.deepEqual(
      script.filter((s) => !s.startsWith("'")),
      wasm ? [CSP_SOURCE] : [],
    );
    for (const [directive, sources] of csp) {
      for (const s of sources) {
        assert.ok(s.startsWith("'") || s === CSP_SOURCE || s === 'data:' || s === 'blob:', `${directive}: ${s}`);
      }
    }
    assert.ok(!csp.has('frame-src') && !csp.has('child-src'), 'no frames');
    // Every script element carries the nonce; none has inline event handlers.
    const scripts = [...page.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 2);
    for (const attrs of scripts) assert.match(attrs, new RegExp(`nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
    assert.doesNotMatch(page, /\son\w+\s*=/i);
    assert.match(page, new RegExp(`src="${CSP_SOURCE}/ext/fusion-lens/dist/webview/${wasm ? 'runPanel' : 'graphView'}\\.js"`));
  });
}

test('every shell gets a fresh nonce', () => {
  const a = shell(false).csp.get('script-src')!.join(' ');
  const b = shell(false).csp.get('script-src')!.join(' ');
  assert.notEqual(a, b);
});

test('boot data cannot close its script element, and the language attribute is escaped', () => {
  fakeVscode.env.language = 'en"></html><script>alert(1)</script>';
  try {
    const { html: page } = shell(true);
    assert.equal([...page.matchAll(/<script\b/g)].length, 2);
    assert.ok(!page.includes('<script>alert(1)'));
  } finally {
    fakeVscode.env.language = 'en';
  }
});

test('the boot data carries every webview string, translated through vscode.l10n', () => {
  const { html: page } = shell(false);
  const json = /window\.fusionLensBoot = (\{.*\});<\/script>/.exec(page)?.[1];
  assert.ok(json, 'boot script');
  const boot = JSON.parse(json) as { strings: Record<string, string> };
  assert.deepEqual(Object.keys(boot.strings).sort(), Object.keys(WEBVIEW_STRINGS).sort());
  for (const [key, text] of Object.entries(WEBVIEW_STRINGS)) assert.equal(boot.strings[key], `«${text}»`, key);
});

test("localResourceRoots is exactly the extension's dist/ folder", () => {
  const opts = html.webviewOptions(extensionUri as never) as { enableScripts?: boolean; localResourceRoots?: FakeUri[]; enableCommandUris?: unknown };
  assert.equal(opts.enableScripts, true);
  assert.deepEqual(
    opts.localResourceRoots?.map((u) => u.toString()),
    ['file:///ext/fusion-lens/dist'],
  );
  assert.equal(opts.enableCommandUris, undefined);
});

test('paths from webviews resolve only inside a workspace folder', () => {
  fakeVscode.workspace.workspaceFolders = [{ uri: new FakeUri('file', '', '/ws/proj') }];
  try {
    assert.equal(paths.resolveInWorkspace('models/net.py')?.toString(), 'file:///ws/proj/models/net.py');
    assert.equal(paths.resolveInWorkspace('a/./b/../net.py')?.toString(), 'file:///ws/proj/a/net.py');
    for (const bad of [
      '../secret.py',
      'a/../../secret.py',
      '..',
      '/etc/passwd',
      'C:\\Windows\\x',
      'a\\..\\..\\x',
      'file:///etc/passwd',
      'vscode-resource:/x',
      'x\0y',
      '',
      'a'.repeat(2000),
    ]) {
      assert.equal(paths.resolveInWorkspace(bad), null, JSON.stringify(bad));
    }
    assert.equal(paths.resolveInWorkspace(42 as unknown as string), null);
    // A sibling folder sharing the prefix is not inside.
    assert.equal(paths.isInside(new FakeUri('file', '', '/ws/proj') as never, new FakeUri('file', '', '/ws/project2/x.py') as never), false);
    assert.equal(paths.isInside(new FakeUri('file', '', '/ws/proj') as never, new FakeUri('vscode-remote', 'h', '/ws/proj/x.py') as never), false);
    assert.equal(paths.isInWorkspace(new FakeUri('file', '', '/ws/proj/sub/x.png') as never), true);
    assert.equal(paths.isInWorkspace(new FakeUri('file', '', '/tmp/x.png') as never), false);
  } finally {
    fakeVscode.workspace.workspaceFolders = [];
  }
  assert.equal(paths.resolveInWorkspace('models/net.py'), null, 'no workspace folder, nothing resolves');
});
