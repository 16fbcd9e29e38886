"""Hover and inlay-hint test sample: a three-level concatenation fusion, with position markers.

A marker is a comment line whose caret (^) stands under a column of the line above it, followed by the marker's
name (several marker lines may follow one line): the tests ask for hovers and hints at those positions, so editing this file never silently moves them.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


# fusion-lens: input=4x3x256x256
class FusionModel(nn.Module):
    #  ^ class
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, padding=1)
        #    ^ conv1-attr
        self.conv2 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(64, 128, kernel_size=3, padding=1))
        self.conv3 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(128, 256, kernel_size=3, padding=1))
        self.fusion = nn.Sequential(nn.Conv2d(64 + 128 + 256, 256, kernel_size=1), nn.ReLU())
        self.avgpool = nn.AdaptiveAvgPool2d((8, 8))
        self.fc = nn.Linear(256 * 8 * 8, num_classes)

    def forward(self, x):
        feat1 = torch.relu(self.conv1(x))
        feat2 = torch.relu(self.conv2(feat1))
        feat3 = torch.relu(self.conv3(feat2))
        feat1_down = F.max_pool2d(feat1, kernel_size=4)
        feat2_down = F.interpolate(feat2, scale_factor=0.5)
        #  ^ feat2-down-def
        fused = torch.cat([feat1_down, feat2_down, feat3], dim=1)
        #   ^ cat-line
        #                                ^ feat2-down-use
        x = self.fusion(fused)
        x = self.avgpool(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)
