// The engine service's hover on a model built by timm.create_model from an installed timm (../shared/timm/deps on the import roots).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText, type AnalyzeRequest } from '../../../src/extension/service/engineAnalyze';
import { hoverMarkdown } from '../../../src/extension/service/hoverContent';
import { sourceContext } from '../../../src/extension/service/sourceContext';
import { initTestParser } from '../../support/pythonWasm';
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
