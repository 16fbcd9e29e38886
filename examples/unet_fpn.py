"""Three ways to fuse features of different depths: concatenation, summation and attention.

* TinyUNet: an encoder-decoder whose decoder concatenates each upsampled map with the encoder
  map of the same resolution (skip connections, concatenation fusion).
* FPNSegmenter: a feature pyramid; each level's 1x1 "lateral" projection is added to the
  upsampled coarser level (top-down pathway, summation fusion).
* AttentionFusionNet: three levels are brought to one size and mixed with per-position weights
  that a small scoring conv predicts and a softmax normalises (attention-weighted fusion).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(in_channels: int, out_channels: int, stride: int = 1) -> nn.Sequential:
    """3x3 convolution, batch norm, ReLU: the basic unit of every model below."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class DoubleConv(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.block = nn.Sequential(conv_bn_relu(in_channels, out_channels), conv_bn_relu(out_channels, out_channels))

    def forward(self, x):
        return self.block(x)


class UpConcat(nn.Module):
    """Upsample the deeper map, concatenate it with the skip map, then convolve."""

    def __init__(self, in_channels: int, skip_channels: int, out_channels: int):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(in_channels // 2 + skip_channels, out_channels)

    def forward(self, x, skip):
        x = self.up(x)
        # odd input sizes leave the upsampled map one pixel short: match the skip's size
        if x.shape[-2:] != skip.shape[-2:]:
            x = F.interpolate(x, size=skip.shape[-2:], mode="nearest")
        x = torch.cat([skip, x], dim=1)  # concatenation fusion: shallow detail + deep context
        return self.conv(x)


# fusion-lens: input=1x3x64x64
class TinyUNet(nn.Module):
    def __init__(self, in_channels: int = 3, num_classes: int = 2, base: int = 8):
        super().__init__()
        self.enc1 = DoubleConv(in_channels, base)
        self.enc2 = DoubleConv(base, base * 2)
        self.enc3 = DoubleConv(base * 2, base * 4)
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = DoubleConv(base * 4, base * 8)
        self.up3 = UpConcat(base * 8, base * 4, base * 4)
        self.up2 = UpConcat(base * 4, base * 2, base * 2)
        self.up1 = UpConcat(base * 2, base, base)
        self.head = nn.Conv2d(base, num_classes, kernel_size=1)

    def forward(self, x):
        s1 = self.enc1(x)  # full resolution
        s2 = self.enc2(self.pool(s1))  # 1/2
        s3 = self.enc3(self.pool(s2))  # 1/4
        b = self.bottleneck(self.pool(s3))  # 1/8
        d3 = self.up3(b, s3)
        d2 = self.up2(d3, s2)
        d1 = self.up1(d2, s1)
        return self.head(d1)


# fusion-lens: input=2x3x64x64
class FPNSegmenter(nn.Module):
    def __init__(self, in_channels: int = 3, num_classes: int = 4, widths=(16, 32, 64), fpn_channels: int = 32):
        super().__init__()
        self.stem = conv_bn_relu(in_channels, widths[0], stride=2)  # 1/2
        self.stage2 = conv_bn_relu(widths[0], widths[0], stride=2)  # C2: 1/4
        self.stage3 = conv_bn_relu(widths[0], widths[1], stride=2)  # C3: 1/8
        self.stage4 = conv_bn_relu(widths[1], widths[2], stride=2)  # C4: 1/16
        self.lateral = nn.ModuleList([nn.Conv2d(w, fpn_channels, kernel_size=1) for w in widths])
        self.smooth = nn.Conv2d(fpn_channels, fpn_channels, kernel_size=3, padding=1)
        self.classifier = nn.Conv2d(fpn_channels, num_classes, kernel_size=1)

    def forward(self, x):
        c2 = self.stage2(self.stem(x))
        c3 = self.stage3(c2)
        c4 = self.stage4(c3)

        p4 = self.lateral[2](c4)
        # top-down pathway: upsample the coarser level and add the lateral projection (sum fusion)
        p3 = self.lateral[1](c3) + F.interpolate(p4, size=c3.shape[-2:], mode="nearest")
        p2 = self.lateral[0](c2) + F.interpolate(p3, size=c2.shape[-2:], mode="nearest")

        p2 = self.smooth(p2)
        logits = self.classifier(p2)
        return F.interpolate(logits, size=x.shape[-2:], mode="bilinear", align_corners=False)


# fusion-lens: input=2x3x64x64
class AttentionFusionNet(nn.Module):
    def __init__(self, in_channels: int = 3, num_classes: int = 10, width: int = 16, fused_channels: int = 32):
        super().__init__()
        self.level1 = conv_bn_relu(in_channels, width)  # full resolution
        self.level2 = conv_bn_relu(width, width * 2, stride=2)  # 1/2
        self.level3 = conv_bn_relu(width * 2, width * 4, stride=2)  # 1/4
        self.proj = nn.ModuleList(
            [nn.Conv2d(c, fused_channels, kernel_size=1) for c in (width, width * 2, width * 4)]
        )
        # one score map per level, predicted from all levels together
        self.score = nn.Conv2d(3 * fused_channels, 3, kernel_size=3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(fused_channels, num_classes)

    def forward(self, x):
        f1 = self.level1(x)
        f2 = self.level2(f1)
        f3 = self.level3(f2)
        size = f3.shape[-2:]
        levels = [F.adaptive_avg_pool2d(p(f), size) for p, f in zip(self.proj, (f1, f2, f3))]

        scores = self.score(torch.cat(levels, dim=1))  # [B, 3, h, w]
        weights = scores.softmax(dim=1).unsqueeze(2)  # [B, 3, 1, h, w], sums to 1 over levels
        stacked = torch.stack(levels, dim=1)  # [B, 3, C, h, w]
        fused = (weights * stacked).sum(dim=1)  # attention-weighted fusion

        x = self.pool(fused).flatten(1)
        return self.fc(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    image = torch.randn(2, 3, 64, 64)
    for model in (TinyUNet(), FPNSegmenter(), AttentionFusionNet()):
        model.eval()
        with torch.no_grad():
            out = model(image)
        n_params = sum(p.numel() for p in model.parameters())
        print(f"{type(model).__name__}: {n_params:,} parameters, output {tuple(out.shape)}")
