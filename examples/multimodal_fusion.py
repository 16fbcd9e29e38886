"""Multimodal fusion: an image and a sentence classified together, fused two ways.

* LateFusionClassifier encodes each modality on its own, pools each to one vector and
  concatenates the two vectors (late fusion by concatenation).
* CrossAttentionFusion lets every word attend to every image region with
  nn.MultiheadAttention, then gates the attended image context into the text features
  (attention-weighted fusion followed by a learned sigmoid gate).

Both take an image [B, 3, H, W] (float32) and token ids [B, L] (int64).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ImageEncoder(nn.Module):
    """Two stride-2 conv stages: [B, 3, H, W] -> [B, dim, H/4, W/4]."""

    def __init__(self, dim: int = 32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, dim // 2, kernel_size=3, stride=2, padding=1),
            nn.BatchNorm2d(dim // 2),
            nn.ReLU(inplace=True),
            nn.Conv2d(dim // 2, dim, kernel_size=3, stride=2, padding=1),
            nn.BatchNorm2d(dim),
            nn.ReLU(inplace=True),
        )

    def forward(self, image):
        return self.net(image)


class TextEncoder(nn.Module):
    """Token and position embeddings and a LayerNorm: [B, L] -> [B, L, dim]."""

    def __init__(self, vocab_size: int = 1000, dim: int = 32, max_len: int = 64):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.positions = nn.Embedding(max_len, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, token_ids):
        positions = torch.arange(token_ids.size(1), device=token_ids.device)
        x = self.tokens(token_ids) + self.positions(positions)[None]
        return self.norm(x)


# fusion-lens: input=image=2x3x64x64, tokens=2x16:int64
class LateFusionClassifier(nn.Module):
    def __init__(self, vocab_size: int = 1000, dim: int = 32, num_classes: int = 5):
        super().__init__()
        self.image_encoder = ImageEncoder(dim)
        self.text_encoder = TextEncoder(vocab_size, dim)
        self.head = nn.Sequential(nn.Linear(2 * dim, dim), nn.ReLU(), nn.Linear(dim, num_classes))

    def forward(self, image, tokens):
        img_vec = self.image_encoder(image).mean(dim=(2, 3))  # [B, dim]
        txt_vec = self.text_encoder(tokens).mean(dim=1)  # [B, dim]
        fused = torch.cat([img_vec, txt_vec], dim=1)  # concatenation fusion: [B, 2*dim]
        return self.head(fused)


# fusion-lens: input=image=2x3x64x64, tokens=2x16:int64
class CrossAttentionFusion(nn.Module):
    def __init__(self, vocab_size: int = 1000, dim: int = 32, num_heads: int = 4, num_classes: int = 5):
        super().__init__()
        self.image_encoder = ImageEncoder(dim)
        self.text_encoder = TextEncoder(vocab_size, dim)
        self.cross_attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.gate = nn.Linear(2 * dim, dim)
        self.classifier = nn.Linear(dim, num_classes)

    def forward(self, image, tokens):
        regions = self.image_encoder(image).flatten(2).transpose(1, 2)  # [B, H/4*W/4, dim]
        words = self.text_encoder(tokens)  # [B, L, dim]
        # each word gathers the image regions it attends to
        context, attn_weights = self.cross_attn(words, regions, regions)  # [B, L, dim], [B, L, regions]
        gate = torch.sigmoid(self.gate(torch.cat([words, context], dim=-1)))
        fused = words + gate * context  # gated, attention-weighted fusion
        return self.classifier(fused.mean(dim=1))


if __name__ == "__main__":
    torch.manual_seed(0)
    image = torch.randn(2, 3, 64, 64)
    tokens = torch.randint(0, 1000, (2, 16))
    for model in (LateFusionClassifier(), CrossAttentionFusion()):
        model.eval()
        with torch.no_grad():
            logits = model(image, tokens)
        print(f"{type(model).__name__}: logits {tuple(logits.shape)}, probabilities")
        print(F.softmax(logits, dim=-1))
