// Generates einops-heavy transformer model files of a requested length (rearrange/repeat/reduce/einsum/pack and
// the Rearrange/Reduce/EinMix layers in every block), for the engine bench.

/** One transformer block written with einops; about 36 lines. */
function blockClass(i: number): string {
  return `
class EinBlock${i}(nn.Module):
    """Transformer block ${i}: einops attention, an EinMix feed-forward and an einops-pooled gate."""

    def __init__(self, dim: int, heads: int = 4) -> None:
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.norm1 = nn.LayerNorm(dim)
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mix = EinMix("b n d -> b n e", weight_shape="d e", bias_shape="e", d=dim, e=dim * 2)
        self.proj = nn.Linear(dim * 2, dim)
        self.gate = Reduce("b n d -> b 1 d", "mean")

    def forward(self, x):
        n = x.shape[1]
        qkv = rearrange(self.to_qkv(self.norm1(x)), "b n (three h d) -> three b h n d", three=3, h=self.heads)
        q, k, v = qkv[0], qkv[1], qkv[2]
        dots = einsum(q, k, "b h i d, b h j d -> b h i j") * self.scale
        attn = dots.softmax(dim=-1)
        out = einsum(attn, v, "b h i j, b h j d -> b h i d")
        out = rearrange(out, "b h n d -> b n (h d)")
        x = x + self.to_out(out)
        g = torch.sigmoid(self.gate(x))
        h = self.proj(F.gelu(self.mix(self.norm2(x))))
        x = x + h * g
        pooled = reduce(x, "b n d -> b d", "max")
        x = x + repeat(pooled, "b d -> b n d", n=n) * 0.1
        return x
`;
}

function modelClass(blocks: number): string {
  const lines: string[] = [];
  lines.push(
    '',
    '',
    'class EinopsViT(nn.Module):',
    '    def __init__(self, dim: int = 32, patch: int = 8, num_classes: int = 10) -> None:',
    '        super().__init__()',
  );
  lines.push('        self.to_patches = Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch, p2=patch)');
  lines.push('        self.embed = nn.Linear(3 * patch * patch, dim)');
  lines.push('        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))');
  for (let i = 0; i < blocks; i++) lines.push(`        self.block${i} = EinBlock${i}(dim)`);
  lines.push('        self.head = nn.Linear(dim, num_classes)', '');
  lines.push(
    '    def forward(self, x):',
    '        x = self.embed(self.to_patches(x))',
    '        cls = repeat(self.cls_token, "() n d -> b n d", b=x.shape[0])',
    '        x, ps = pack([cls, x], "b * d")',
  );
  for (let i = 0; i < blocks; i++) lines.push(`        x = self.block${i}(x)`);
  lines.push(
    '        cls, tokens = unpack(x, ps, "b * d")',
    '        return self.head(rearrange(cls, "b 1 d -> b d") + reduce(tokens, "b n d -> b d", "mean"))',
    '',
  );
  return lines.join('\n');
}

/** An einops-heavy model file of roughly `targetLines` lines. */
export function syntheticEinopsFile(targetLines: number): string {
  const header = [
    '"""Synthetic einops benchmark model."""',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from einops import einsum, pack, rearrange, reduce, repeat, unpack',
    'from einops.layers.torch import EinMix, Rearrange, Reduce',
    '',
  ].join('\n');
  const perBlock = blockClass(0).split('\n').length + 1;
  const blocks = Math.max(1, Math.round((targetLines - 24) / perBlock));
  const parts = [header];
  for (let i = 0; i < blocks; i++) parts.push(blockClass(i));
  parts.push(modelClass(blocks));
  return parts.join('\n');
}
