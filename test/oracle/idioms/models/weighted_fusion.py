import copy
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
        x = x + self.attn(h, h, h, need_weights=False)[0]
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
        ups = [F.interpolate(l(f), size=target, mode="nearest") for l, f in zip(self.lateral, feats)]
        w = F.softmax(self.weights, dim=0)
        fused = sum(wi * u for wi, u in zip(w, ups))
        stacked = torch.stack(ups, dim=1).mean(1)
        b, c, h, wd = fused.shape
        tokens = fused.flatten(2).transpose(1, 2) / self.scale
        for layer in self.layers:
            tokens = layer(tokens)
        if (n := tokens.shape[1]) > 0:
            pooled = tokens.mean(1)
        return {"fused": fused, "stacked": stacked, "tokens": tokens, "pooled": pooled}
