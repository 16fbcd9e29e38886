import torch
import torch.nn as nn


class FuseLayer(nn.Module):
    def __init__(self, channels=(8, 16, 32)):
        super().__init__()
        self.num_branches = len(channels)
        fuse_layers = []
        for i in range(self.num_branches):
            fuse_layer = []
            for j in range(self.num_branches):
                if j > i:
                    fuse_layer.append(nn.Sequential(
                        nn.Conv2d(channels[j], channels[i], 1, 1, 0, bias=False),
                        nn.BatchNorm2d(channels[i]),
                        nn.Upsample(scale_factor=2 ** (j - i), mode="nearest")))
                elif j == i:
                    fuse_layer.append(None)
                else:
                    conv3x3s = []
                    for k in range(i - j):
                        if k == i - j - 1:
                            conv3x3s.append(nn.Sequential(nn.Conv2d(channels[j], channels[i], 3, 2, 1, bias=False), nn.BatchNorm2d(channels[i])))
                        else:
                            conv3x3s.append(nn.Sequential(nn.Conv2d(channels[j], channels[j], 3, 2, 1, bias=False), nn.BatchNorm2d(channels[j]), nn.ReLU(False)))
                    fuse_layer.append(nn.Sequential(*conv3x3s))
            fuse_layers.append(nn.ModuleList(fuse_layer))
        self.fuse_layers = nn.ModuleList(fuse_layers)
        self.relu = nn.ReLU(False)

    def forward(self, x):
        x_fuse = []
        for i in range(len(self.fuse_layers)):
            y = x[0] if i == 0 else self.fuse_layers[i][0](x[0])
            for j in range(1, self.num_branches):
                if i == j:
                    y = y + x[j]
                else:
                    y = y + self.fuse_layers[i][j](x[j])
            x_fuse.append(self.relu(y))
        return x_fuse
