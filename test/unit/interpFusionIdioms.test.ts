// Fusion idioms: weighted sums over generator expressions, stacked levels, deep-copied encoder layers, checkpoint, walrus, dict outputs.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { checkMarkers, graphOf, runModelSrc } from '../support/interpHarness';

before(initTestParser);

const SRC = `import copy
import math
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


def _get_clones(module, n):
    return nn.ModuleList([copy.deepcopy(module) for _ in range(n)])


class MLP(nn.Module):
    def __init__(self, dim, hidden, drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        return self.drop(self.fc2(self.act(self.fc1(x))))


class EncoderLayer(nn.Module):
    def __init__(self, dim=32, heads=4, mlp_ratio=2.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim, int(dim * mlp_ratio))

    def forward(self, x, mask: Optional[torch.Tensor] = None):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]  # @ x=[2,256,16]
        x = x + checkpoint(self.mlp, self.norm2(x))
        return x


class WeightedFusion(nn.Module):
    """Softmax-weighted sum of resampled pyramid levels, plus a dict of named outputs."""

    def __init__(self, chans=(8, 16, 32), out_ch=16, depth=2):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, out_ch, 1) for c in chans)
        self.weights = nn.Parameter(torch.ones(len(chans)))
        self.layers = _get_clones(EncoderLayer(out_ch, 4), depth)
        self.scale = math.sqrt(out_ch)

    def forward(self, feats: List[torch.Tensor]) -> Dict[str, torch.Tensor]:
        target = feats[0].shape[-2:]
        ups = [F.interpolate(l(f), size=target, mode="nearest") for l, f in zip(self.lateral, feats)]  # @ f=[2,8,16,16]|[2,16,8,8]|[2,32,4,4] ups[0]=[2,16,16,16] ups[1]=[2,16,16,16] ups[2]=[2,16,16,16] <return>[0]=[2,16,16,16] <return>[1]=[2,16,16,16] <return>[2]=[2,16,16,16]
        w = F.softmax(self.weights, dim=0)  # @ w=[3]
        fused = sum(wi * u for wi, u in zip(w, ups))  # @ wi=[] u=[2,16,16,16] <return>=[2,16,16,16] fused=[2,16,16,16]
        stacked = torch.stack(ups, dim=1).mean(1)
        b, c, h, wd = fused.shape  # @ -
        tokens = fused.flatten(2).transpose(1, 2) / self.scale  # @ tokens=[2,256,16]
        for layer in self.layers:
            tokens = layer(tokens)
        if (n := tokens.shape[1]) > 0:
            pooled = tokens.mean(1)
        return {"fused": fused, "stacked": stacked, "tokens": tokens, "pooled": pooled}  # @ <return>['fused']=[2,16,16,16] <return>['stacked']=[2,16,16,16] <return>['tokens']=[2,256,16] <return>['pooled']=[2,16]
`;

test('softmax-weighted pyramid fusion with transformer layers: records, dict outputs, parameters', () => {
  const m = runModelSrc(SRC, 'WeightedFusion()', ['2x8x16x16', '2x16x8x8', '2x32x4x4'], { models: [{ expr: 'WeightedFusion()', inputKind: 'list' }] });
  const g = graphOf(m);
  checkMarkers(SRC, g);
  assert.equal(g.outputKind, 'dict');
  assert.deepEqual(g.outputKeys, ['fused', 'stacked', 'tokens', 'pooled']);
  assert.equal(g.paramsTotal, 5395);
  assert.deepEqual(
    g.modules[0].in.map((s) => s?.map((d) => d.value)),
    [
      [2, 8, 16, 16],
      [2, 16, 8, 8],
      [2, 32, 4, 4],
    ],
  );
  const gen = g.lines.filter((l) => l.func === '<genexpr>');
  assert.ok(gen.length > 0 && gen.every((l) => l.qualname === 'WeightedFusion.forward.<locals>.<genexpr>'));
  assert.deepEqual(
    g.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
  // deepcopy made independent layers with their own parameters
  assert.equal(g.stateDict.filter((e) => e.name.startsWith('layers.1.')).length, g.stateDict.filter((e) => e.name.startsWith('layers.0.')).length);
  assert.ok(g.stateDict.every((e) => !e.aliasOf));
});
