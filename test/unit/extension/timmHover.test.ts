// The engine service's hover on a model built by timm.create_model from an installed timm (../shared/timm/deps on the import roots),
// in-thread and as the extension runs it: a workspace .venv holding timm, found as the host finds it, analysed by the worker thread.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envFsFrom, findPythonEnv, importRoots, sitePackages } from '../../../src/core/interp/pythonEnv';
import { AnalysisWorkerClient } from '../../../src/extension/service/analysisWorkerClient';
import type { DocumentAnalysis } from '../../../src/extension/service/analysisTypes';
import { analyzeText, type AnalyzeRequest } from '../../../src/extension/service/engineAnalyze';
import { hoverMarkdown } from '../../../src/extension/service/hoverContent';
import { sourceContext } from '../../../src/extension/service/sourceContext';
import { initTestParser, repoRoot } from '../../support/pythonWasm';
import { sharedPath, sharedSkip } from '../../support/shared.mjs';

const SOURCE = `import torch
import torch.nn as nn
import timm


# fusion-lens: input=1x3x224x224
class TimmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model('resnet18', num_classes=10)

    def forward(self, x):
        logits = self.backbone(x)
        return logits
`;

function hoverAt(a: DocumentAnalysis, text: string, lineText: string, word: string): string | null {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineText));
  const col = lines[line]!.indexOf(word) + 2;
  return hoverMarkdown(a, { line, col, word, lineText: lines[line]!, ...sourceContext((i) => lines[i] ?? '', line) });
}

const clients: AnalysisWorkerClient[] = [];
after(async () => {
  for (const c of clients) await c.dispose();
});

test(
  'through the analysis worker: a workspace .venv holding timm, the first analysis, then the hover on logits',
  { skip: sharedSkip('timm', 'deps', 'timm') },
  async () => {
    await initTestParser();
    // As `python -m venv .venv && pip install timm` leaves it (only what the analysis reads), beside the user's file.
    const ws = mkdtempSync(join(tmpdir(), 'fl-timm-venv-'));
    const site = join(ws, '.venv', 'lib', 'python3.11', 'site-packages');
    mkdirSync(site, { recursive: true });
    cpSync(sharedPath('timm', 'deps', 'timm'), join(site, 'timm'), { recursive: true, filter: (p) => !p.includes('__pycache__') });
    writeFileSync(join(ws, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
    const file = join(ws, 'timm_classifier.py');
    writeFileSync(file, SOURCE);
    // The host's discovery (pythonEnvironment.ts without the Python extension): the workspace .venv, its site-packages.
    const envFs = envFsFrom(fs);
    const env = findPythonEnv({ virtualEnv: null, workspaceFolders: [ws] }, envFs);
    assert.ok(env, 'the workspace .venv is found');
    const roots = importRoots({ workspaceFolders: [], pythonPath: [], sitePackages: sitePackages(env.prefix, envFs), extraPaths: [] });
    assert.deepEqual(roots, [site]);
    const client = new AnalysisWorkerClient({
      workerFile: join(repoRoot, 'dist/analysisWorker.js'),
      wasmDir: join(repoRoot, 'dist/wasm'),
      fallback: async (_uri, req) => analyzeText(req),
      log: () => {},
    });
    clients.push(client);
    const uri = 'file://' + file;
    const req: AnalyzeRequest = {
      text: SOURCE,
      file,
      specOverrides: {},
      defaultInput: null,
      dimensions: {},
      searchRoots: [ws],
      openTexts: { [file]: SOURCE },
      importRoots: roots,
    };
    for (const version of [1, 2]) {
      const out = await client.analyze(uri, version, req);
      assert.equal(out.kind, 'done', JSON.stringify(out).slice(0, 300));
      const a: DocumentAnalysis = { uri, version, ...(out as Extract<typeof out, { kind: 'done' }>).analysis, ms: 0 };
      const m = a.models[0]!;
      assert.equal(m.graph?.paramsTotal, 11_181_642, `v${version}: ${m.error} ${JSON.stringify(a.diagnostics.map((d) => d.message))}`);
      assert.deepEqual(
        a.diagnostics.filter((d) => d.severity !== 'info'),
        [],
      );
      assert.match(hoverAt(a, SOURCE, 'logits = self.backbone(x)', 'logits') ?? '', /`\[1, 10\]`/, `v${version}`);
    }
  },
);

test('hover on a variable bound by a timm model shows its shape', { skip: sharedSkip('timm', 'deps', 'timm') }, async () => {
  await initTestParser();
  const dir = mkdtempSync(join(tmpdir(), 'fl-timm-hover-'));
  const file = join(dir, 'timm_classifier.py');
  writeFileSync(file, SOURCE);
  const req = {
    text: SOURCE,
    file,
    specOverrides: {},
    defaultInput: null,
    dimensions: { B: 1 },
    searchRoots: [dir],
    openTexts: {},
    importRoots: [sharedPath('timm', 'deps')],
  } as unknown as AnalyzeRequest;
  const a = { uri: 'file://' + file, version: 1, ...analyzeText(req), ms: 0 };
  const lines = SOURCE.split('\n');
  const line = lines.findIndex((l) => l.includes('logits = self.backbone(x)'));
  const col = lines[line]!.indexOf('logits') + 2;
  const md = hoverMarkdown(a, { line, col, word: 'logits', lineText: lines[line]!, ...sourceContext((i) => lines[i] ?? '', line) });
  assert.match(md ?? '', /\[B, 10\]/);
  assert.match(md ?? '', /\[1, 10\]/);
});
