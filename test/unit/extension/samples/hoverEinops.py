# Hover sample for einops patterns: positions are the `# ^ name` markers under the lines they mark.
import torch
from torch import nn
from einops import rearrange, reduce
from einops.layers.torch import Rearrange


class Heads(nn.Module):
    def __init__(self, dim=32, heads=4, patch=8):
        super().__init__()
        self.heads = heads
        self.to_tokens = Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch, p2=patch)
        #                                ^ layer-pattern
        self.embed = nn.Linear(3 * patch * patch, dim)
        self.qkv = nn.Linear(dim, dim * 3)

    def forward(self, img):
        x = self.embed(self.to_tokens(img))
        q, k, v = rearrange(self.qkv(x), "b n (three h d) -> three b h n d", three=3, h=self.heads)
        attn = (q @ k.transpose(-1, -2)).softmax(dim=-1)
        out = rearrange(attn @ v, "b h n d -> b n (h d)")
        #                            ^ merge-heads
        return reduce(out, "b n d -> b d", "mean")
        #                      ^ pool
