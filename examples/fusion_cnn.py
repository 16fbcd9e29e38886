"""Two image classifiers side by side: a plain strided CNN and a multi-level feature-fusion CNN.

Open this file with Fusion Lens to see the shape of every tensor, the fusion point where the
three levels of FusionModel meet, and (in the run panel) both models on the same input.

* BaselineModel halves the resolution three times with stride-2 convolutions, flattens the
  256x32x32 map and classifies it with one Linear layer. That Linear fixes the input size:
  only 256x256 images fit.
* FusionModel keeps three levels of features: shallow (edges, full resolution), middle and deep
  (semantics, 1/4 resolution). The two finer levels are resampled to the deep level's size,
  concatenated along channels and mixed by a 1x1 convolution. An adaptive pool makes the head
  independent of the input size (height and width should be multiples of 4).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


# fusion-lens: input=4x3x256x256
class BaselineModel(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=3, stride=2, padding=1),  # 256 -> 128
            nn.ReLU(),
            nn.Conv2d(64, 128, kernel_size=3, stride=2, padding=1),  # 128 -> 64
            nn.ReLU(),
            nn.Conv2d(128, 256, kernel_size=3, stride=2, padding=1),  # 64 -> 32
        )
        # 256 channels x 32 x 32 positions: this is what ties the model to 256x256 inputs
        self.fc = nn.Linear(256 * 32 * 32, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


# fusion-lens: input=4x3x256x256
class FusionModel(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        # three depths: full, 1/2 and 1/4 resolution
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, padding=1)
        self.conv2 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(64, 128, kernel_size=3, padding=1))
        self.conv3 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(128, 256, kernel_size=3, padding=1))
        # 1x1 convolution that mixes the concatenated levels (64 + 128 + 256 channels)
        self.fusion = nn.Sequential(nn.Conv2d(64 + 128 + 256, 256, kernel_size=1), nn.ReLU())
        self.avgpool = nn.AdaptiveAvgPool2d((8, 8))
        self.fc = nn.Linear(256 * 8 * 8, num_classes)

    def forward(self, x):
        feat1 = torch.relu(self.conv1(x))  # shallow: edges and texture
        feat2 = torch.relu(self.conv2(feat1))
        feat3 = torch.relu(self.conv3(feat2))  # deep: semantics

        # resample the finer levels to the resolution of feat3 before they meet
        feat1_down = F.max_pool2d(feat1, kernel_size=4)
        feat2_down = F.interpolate(feat2, scale_factor=0.5)

        fused = torch.cat([feat1_down, feat2_down, feat3], dim=1)  # concatenation fusion
        x = self.fusion(fused)
        x = self.avgpool(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(4, 3, 256, 256)
    baseline = BaselineModel().eval()
    fusion = FusionModel().eval()
    with torch.no_grad():
        for model in (baseline, fusion):
            out = model(x)
            n_params = sum(p.numel() for p in model.parameters())
            print(f"{type(model).__name__}: {n_params:,} parameters, output {tuple(out.shape)}")
            print(out)
