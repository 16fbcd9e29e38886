// Static security checks of the shipped source (src/, webview/): no process spawning, no string evaluation, no unpickling, webviews built one way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../support/pythonWasm';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Source text without comments and string/template contents, so prose and messages do not trip the scan. */
export function codeOnly(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      // Keep the quotes (module specifiers are checked separately), drop what is inside.
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += `${c}${c}`;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const shipped = [...tsFiles(join(repoRoot, 'src')), ...tsFiles(join(repoRoot, 'webview'))];
const sources = shipped.map((f) => ({ file: relative(repoRoot, f), text: readFileSync(f, 'utf8') }));

test('the scan sees the whole shipped source, and codeOnly keeps code while dropping comments and strings', () => {
  assert.ok(sources.length > 100, `${sources.length} files`);
  assert.ok(sources.some((s) => s.file === 'src/core/interp/interpreter.ts') && sources.some((s) => s.file === 'webview/runPanel/main.ts'));
  assert.equal(codeOnly(`a(); // eval(x)\n/* new Function */ b("eval(") + c('x')`), `a(); \n b("") + c('')`);
});

const forbidden: [string, RegExp][] = [
  ['global eval', /(^|[^.\w$])eval\s*\(/],
  ['Function constructor', /(^|[^.\w$])(new\s+)?Function\s*\(/],
  ['string timer', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
  ['process.binding / dlopen', /\bprocess\s*\.\s*(binding|dlopen|_linkedBinding)\b/],
  ['process.exec*', /\bprocess\s*\.\s*(execve|kill)\b/],
];

/**
 * Drops method declarations such as the interpreter's `eval(e: Expr, frame: Frame): PyValue {` and interface members
 * such as `eval(e: Expr, frame: Frame): PyValue;` (a name with a return type, not a call).
 */
function withoutMethodHeads(code: string): string {
  return code
    .replace(/^\s*(?:(?:private|public|protected|static|async)\s+)*(eval|Function)\s*\([^)]*\)\s*(?::[^{;]*)?\{/gm, '{')
    .replace(/^\s*(eval|Function)\s*\([^)]*\)\s*:[^{;()]*;/gm, '');
}

test('no shipped file evaluates strings as code', () => {
  const hits: string[] = [];
  for (const s of sources) {
    const code = withoutMethodHeads(codeOnly(s.text));
    for (const [what, re] of forbidden) if (re.test(code)) hits.push(`${s.file}: ${what}`);
  }
  assert.deepEqual(hits, []);
});

test('the scan would catch them: planted calls are found', () => {
  const planted = ['const f = eval(s);', 'x = new Function("a", body);', 'Function(s)()', "setTimeout('go()', 1)", 'process.dlopen(m, p)'];
  for (const p of planted)
    assert.ok(
      forbidden.some(([, re]) => re.test(withoutMethodHeads(codeOnly(p)))),
      p,
    );
  const benign = 'this.eval(e, frame); ip.eval(x); const evaluate = 1;\n  eval(e: Expr, frame: Frame): PyValue {\n    return 1;\n  }';
  assert.ok(!forbidden.some(([, re]) => re.test(withoutMethodHeads(codeOnly(benign)))));
  // A call at the start of a line is still a call.
  assert.ok(forbidden.some(([, re]) => re.test(withoutMethodHeads(codeOnly('  eval(code);')))));
});

/** Module specifiers of import/require/import() with a literal argument. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) out.push(m[2]!);
  return out;
}

test('no shipped file loads process, VM or native-code modules; worker_threads only at the two ends of the analysis worker', () => {
  const banned = /^(node:)?(child_process|cluster|vm|worker_threads|inspector|repl|net|dgram|http|https|http2|tls)$/;
  const hits = sources.flatMap((s) =>
    specifiers(s.text)
      .filter((m) => banned.test(m))
      .map((m) => `${s.file}: ${m}`),
  );
  // The analysis worker (src/extension/service/analysisWorker.ts) and the host-side client that starts it.
  assert.deepEqual(hits, [
    'src/extension/service/analysisWorker.ts: node:worker_threads',
    'src/extension/service/analysisWorkerClient.ts: node:worker_threads',
  ]);
  assert.deepEqual(specifiers(`import { spawn } from 'node:child_process';\nconst vm = require("vm");`), ['node:child_process', 'vm']);
});

test('the only Worker started is the bundled analysis worker, from a file and never from a string', () => {
  const starters = sources.filter((s) => /\bnew\s+Worker\s*\(/.test(codeOnly(s.text)) && s.file.startsWith('src/'));
  assert.deepEqual(
    starters.map((s) => s.file),
    ['src/extension/service/analysisWorkerClient.ts'],
  );
  const client = starters[0]!.text;
  assert.match(client, /new Worker\(this\.options\.workerFile, \{/);
  // `eval: true` would make the first argument JavaScript source instead of a file name.
  assert.ok(!sources.some((s) => /\beval\s*:\s*true\b/.test(codeOnly(s.text))));
  const host = sources.find((s) => s.file === 'src/extension/host/analysisHost.ts')!.text;
  assert.match(host, /workerFile: path\.join\(dist, 'analysisWorker\.js'\)/);
});

test('require() with a computed argument appears only where the extension loads its own engine bundle', () => {
  const dynamic = sources.flatMap((s) => [...codeOnly(s.text).matchAll(/\brequire\s*\(\s*([^'"`)\s])/g)].map(() => s.file));
  assert.deepEqual(dynamic, ['src/extension/host/engineLoader.ts']);
  const loader = sources.find((s) => s.file === 'src/extension/host/engineLoader.ts')!.text;
  assert.match(loader, /require\(path\.join\(dist, 'engine\.js'\)\)/);
});

test('no unpickling: no pickle, torch.load or zip packages; checkpoints go through the data-only pickle interpreter only', () => {
  const hits: string[] = [];
  for (const s of sources) {
    const code = codeOnly(s.text);
    if (/\b(unpickl\w*|Unpickler|pickleLoads?|readPickle|torchLoad)\b/i.test(code)) hits.push(s.file);
    // Package imports only (relative imports are our own files): no pickle, zip or tar readers.
    if (specifiers(s.text).some((m) => !m.startsWith('.') && /pickle|zip|\btar\b|unzipper/i.test(m))) hits.push(`${s.file} (import)`);
  }
  assert.deepEqual(hits, []);
  // The weights readers: the bounded safetensors parser and the checkpoint reader; only the torch file reader runs pickles.
  const weights = sources.filter((s) => s.file.startsWith('src/core/weights/')).map((s) => s.file);
  assert.ok(weights.includes('src/core/weights/readSafetensors.ts') && weights.includes('src/core/weights/checkpoint/pickleMachine.ts'));
  const runsPickles = sources.filter((s) => /\bloadPickle\s*\(/.test(codeOnly(s.text)) && s.file.startsWith('src/')).map((s) => s.file);
  assert.deepEqual(runsPickles, ['src/core/weights/checkpoint/pickleMachine.ts', 'src/core/weights/checkpoint/readTorchFile.ts']);
});

test('the pickle interpreter cannot reach code: no imports beyond its own folder and the weights types, no dynamic lookup or calls', () => {
  const dir = 'src/core/weights/checkpoint/';
  const files = sources.filter((s) => s.file.startsWith(dir));
  assert.ok(files.length >= 6, files.map((f) => f.file).join(', '));
  for (const s of files) {
    const code = codeOnly(s.text);
    for (const m of specifiers(s.text))
      assert.match(m, /^\.\/[\w]+$|^\.\.\/(tensorData|safetensorsDtype|readSafetensors|readWeightsFile)$|^\.\.\/\.\.\/shape\/shape$/, `${s.file} imports ${m}`);
    assert.doesNotMatch(
      code,
      /\b(globalThis|window|self|process|require|Reflect|Proxy|eval|Function|import\s*\(|setTimeout|setInterval|prototype\s*\[)\b/,
      s.file,
    );
    // no call through a computed member (obj[name](…)): every call target is a fixed name
    assert.doesNotMatch(code, /\]\s*\(/, `${s.file}: a call through a computed member`);
  }
  // Globals resolve only to data, inert placeholders, or the builders of this fixed allow-list.
  const globals = files.find((s) => s.file === `${dir}pickleGlobals.ts`)!.text;
  const ids = [...globals.slice(globals.indexOf('const CALLABLES'), globals.indexOf(']);')).matchAll(/\['([\w.]+)',/g)].map((m) => m[1]);
  assert.deepEqual(ids, [
    'torch._utils._rebuild_tensor_v2',
    'torch._utils._rebuild_tensor',
    'torch._utils._rebuild_parameter',
    'torch._utils._rebuild_parameter_with_state',
    'torch._tensor._rebuild_from_type_v2',
    'torch._tensor._rebuild_from_type',
    'collections.OrderedDict',
    'builtins.dict',
    'builtins.list',
    'builtins.tuple',
    'builtins.set',
    'builtins.frozenset',
    'builtins.bytearray',
    'builtins.bytes',
    '_codecs.encode',
    'torch.Size',
    'torch.device',
    'numpy.dtype',
    'numpy.core.multiarray.scalar',
    'numpy._core.multiarray.scalar',
    'copyreg._reconstructor',
  ]);
});

test('every webview gets its HTML from buildWebviewHtml and its options from webviewOptions; nothing else sets localResourceRoots', () => {
  const ext = sources.filter((s) => s.file.startsWith('src/'));
  const htmlSetters = ext.filter((s) => /\.html\s*=/.test(codeOnly(s.text))).map((s) => s.file);
  for (const f of htmlSetters) {
    const code = ext.find((s) => s.file === f)!.text;
    for (const m of code.matchAll(/\.html\s*=\s*([^;]+);/g)) assert.match(m[1]!, /^buildWebviewHtml\(/, `${f}: ${m[0]}`);
  }
  // the checkpoint viewer's page is set by the GraphWebviewHost it embeds the graph view through
  assert.deepEqual(htmlSetters.sort(), ['src/extension/host/graphWebviewHost.ts', 'src/extension/host/runPanel.ts']);
  assert.deepEqual(
    ext.filter((s) => /localResourceRoots/.test(codeOnly(s.text))).map((s) => s.file),
    ['src/extension/host/webviewHtml.ts'],
  );
  assert.deepEqual(
    ext.filter((s) => /enableCommandUris|enableForms/.test(codeOnly(s.text))).map((s) => s.file),
    [],
  );
  // Webview panels, views and custom editors are all hosted by one of the two hosts that apply webviewOptions.
  for (const s of ext.filter((x) => /createWebviewPanel|resolveWebviewView|resolveCustomEditor/.test(codeOnly(x.text)))) {
    assert.match(s.text, /webviewOptions\(|new GraphWebviewHost\(/, s.file);
  }
  assert.match(ext.find((s) => s.file === 'src/extension/host/graphWebviewHost.ts')!.text, /webview\.options = webviewOptions\(extensionUri\)/);
  assert.match(ext.find((s) => s.file === 'src/extension/host/runPanel.ts')!.text, /\.\.\.webviewOptions\(extensionUri\)/);
});

test('every message from a webview goes through its validator before it is used', () => {
  const ext = sources.filter((s) => s.file.startsWith('src/extension/'));
  const receivers = ext.filter((s) => /onDidReceiveMessage/.test(s.text));
  assert.deepEqual(receivers.map((s) => s.file).sort(), ['src/extension/host/graphWebviewHost.ts', 'src/extension/host/runPanel.ts']);
  for (const s of receivers) {
    assert.match(s.text, /onDidReceiveMessage\(\(m: unknown\) => this\.receive\(m\)\)/, s.file);
    const receive = s.text.slice(s.text.indexOf('private receive(m: unknown)'));
    assert.match(receive.slice(0, 200), /if \(!is(FromGraphView|FromRunPanel)\(m\)\) \{/, s.file);
  }
});

test('untrusted and virtual workspaces are declared supported in package.json', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported?: unknown }; virtualWorkspaces?: unknown };
  };
  assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, true);
  assert.equal(pkg.capabilities?.virtualWorkspaces, true);
});

test('in Restricted Mode the memory limit comes from the user, not from the untrusted workspace', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
  assert.ok(restricted.includes('fusionLens.memoryLimitMB'));
  for (const key of restricted) assert.ok(key in pkg.contributes.configuration.properties, `${key} is a contributed setting`);
});
