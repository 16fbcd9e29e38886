"""Constructs of third-party library code: parameter initialisation with in-place ops, attention through
F.multi_head_attention_forward, token layouts chosen by an Enum with dynamic image sizes, and convolution
arguments that PyTorch checks only when the layer runs."""
import math
from enum import Enum

import torch
import torch.nn as nn
import torch.nn.functional as F


def truncated_normal_(t, mean=0.0, std=1.0, lo=-2.0, hi=2.0):
    # Inverse-CDF sampling of a truncated normal, written with in-place ops under no_grad.
    def cdf(v):
        return (1.0 + math.erf(v / math.sqrt(2.0))) / 2.0

    with torch.no_grad():
        a, b = cdf((lo - mean) / std), cdf((hi - mean) / std)
        t.uniform_(2 * a - 1, 2 * b - 1)
        t.erfinv_()
        t.mul_(std * math.sqrt(2.0))
        t.add_(mean)
        t.clamp_(min=lo, max=hi)
        return t


class InitOps(nn.Module):
    def __init__(self, dim=16, hidden=32):
        super().__init__()
        self.w1 = nn.Parameter(torch.empty(hidden, dim))
        self.b1 = nn.Parameter(torch.empty(hidden))
        self.w2 = nn.Parameter(torch.zeros(dim, hidden))
        self.scale = nn.Parameter(torch.ones(dim))
        self.register_buffer("ema", torch.zeros(dim))
        out = truncated_normal_(self.w1, std=0.02)
        self.same = out is self.w1
        with torch.no_grad():
            self.b1.normal_(0.0, 1e-6).fill_(0.0).zero_()
            self.w2.copy_(torch.randn(dim, hidden) * 0.01)
            self.w2.clamp_min_(-1.0).clamp_max_(1.0)
            self.scale.mul_(0.5).add_(0.5)
            self.ema.lerp_(torch.ones(dim), 0.1)
            self.ema.addcmul_(self.scale, self.scale, value=0.5)
        self.scale.requires_grad_(False)

    def forward(self, x):
        h = F.gelu(F.linear(x, self.w1, self.b1))
        y = F.linear(h, self.w2) * self.scale + self.ema
        return y


class AttentionBlock(nn.Module):
    def __init__(self, dim=32, heads=4, batch_first=False):
        super().__init__()
        self.batch_first = batch_first
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=batch_first)
        self.heads = heads

    def forward(self, x):
        # x is [B, L, E]; the layer takes [L, B, E] unless batch_first.
        q = x if self.batch_first else x.transpose(0, 1)
        B, L = x.shape[0], x.shape[1]
        pad = torch.zeros(B, L, dtype=torch.bool)
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        out, w = self.attn(q, q, q)
        out2, w2 = self.attn(q, q, q, key_padding_mask=pad, need_weights=True, average_attn_weights=False)
        out3, none = self.attn(q, q, q, attn_mask=causal, need_weights=False)
        per_head = torch.zeros(B * self.heads, L, L, dtype=torch.bool)
        out4, w4 = self.attn(q, q, q, attn_mask=per_head)
        seq = x.transpose(0, 1)
        f_out, f_w = F.multi_head_attention_forward(
            seq, seq, seq, self.attn.embed_dim, self.attn.num_heads,
            self.attn.in_proj_weight, self.attn.in_proj_bias,
            self.attn.bias_k, self.attn.bias_v, self.attn.add_zero_attn,
            0.0, self.attn.out_proj.weight, self.attn.out_proj.bias,
            training=False, key_padding_mask=pad, need_weights=True, average_attn_weights=False)
        single, single_w = self.attn(seq[:, 0], seq[:, 0], seq[:, 0])
        if not self.batch_first:
            out = out.transpose(0, 1)
            out3 = out3.transpose(0, 1)
        return out + out3, w, w2, w4, f_out, f_w, single, single_w, out2, out4, none


class Layout(str, Enum):
    NCHW = "NCHW"
    NHWC = "NHWC"
    NLC = "NLC"


def to_layout(x, fmt):
    if fmt == Layout.NHWC:
        x = x.permute(0, 2, 3, 1)
    elif fmt == Layout.NLC:
        x = x.flatten(2).transpose(1, 2)
    return x


class Patches(nn.Module):
    def __init__(self, size=32, patch=4, chans=3, dim=24, out_fmt=None):
        super().__init__()
        self.grid = (size // patch, size // patch)
        self.proj = nn.Conv2d(chans, dim, patch, patch)
        self.fmt = Layout(out_fmt) if out_fmt is not None else Layout.NLC

    def forward(self, x):
        return to_layout(self.proj(x), self.fmt)


def resize_positions(pos, new_hw, old_hw, prefix=1):
    head, grid = pos[:, :prefix], pos[:, prefix:]
    dim = grid.shape[-1]
    grid = grid.reshape(1, old_hw[0], old_hw[1], dim).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=new_hw, mode="bicubic", align_corners=False)
    grid = grid.permute(0, 2, 3, 1).reshape(1, -1, dim)
    return torch.cat([head, grid], dim=1)


class DynamicTokens(nn.Module):
    """Tokens of any image size: NHWC patches, positions resized to the patch grid, a class token in front."""

    def __init__(self, size=32, patch=4, dim=24, dynamic=True):
        super().__init__()
        self.dynamic = dynamic
        self.patches = Patches(size, patch, 3, dim, out_fmt="NHWC" if dynamic else None)
        n = self.patches.grid[0] * self.patches.grid[1]
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, dim))
        self.norm = nn.LayerNorm(dim)
        self.kinds = {Layout.NHWC: 3, Layout.NLC: 2}
        self.head = nn.Linear(dim * self.kinds[self.patches.fmt], 10)

    def forward(self, x):
        x = self.patches(x)
        if self.dynamic:
            B, H, W, C = x.shape
            pos = resize_positions(self.pos, (H, W), self.patches.grid)
            x = x.view(B, -1, C)
        else:
            pos = self.pos
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + pos
        x = self.norm(x)
        pooled = torch.cat([x[:, 0]] * self.kinds[self.patches.fmt], dim=-1)
        return self.head(pooled)


class PairedConv(nn.Conv2d):
    """A convolution whose stride may arrive as a one-item list; it is made a pair before the layer runs."""

    def __init__(self, cin, cout, k, stride=1):
        super().__init__(cin, cout, k, stride, 0, bias=False)
        self.stride = self.stride if len(self.stride) == 2 else [self.stride[0]] * 2


class LateChecks(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = PairedConv(3, 8, 3, stride=[2])
        self.b = nn.Conv2d(8, 8, 3, stride=[1], padding=[1], dilation=[1])
        self.c = nn.Conv2d(8, 8, 3, stride=(1, 1, 1))
        self.c.stride = (2, 2)
        self.pool = nn.MaxPool2d([3], stride=[2], padding=[1])

    def forward(self, x):
        return self.pool(self.c(self.b(self.a(x))))
