import torch
import torch.nn as nn
import torch.nn.functional as F


class SeparableConv(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.dw = nn.Conv2d(ch, ch, 3, padding=1, groups=ch, bias=False)
        self.pw = nn.Conv2d(ch, ch, 1)
        self.bn = nn.BatchNorm2d(ch, momentum=0.01, eps=1e-3)

    def forward(self, x):
        return self.bn(self.pw(self.dw(x)))


class BiFPNLayer(nn.Module):
    def __init__(self, ch=16, eps=1e-4):
        super().__init__()
        self.eps = eps
        self.conv4_up = SeparableConv(ch)
        self.conv3_out = SeparableConv(ch)
        self.conv4_out = SeparableConv(ch)
        self.p4_w1 = nn.Parameter(torch.ones(2, dtype=torch.float32))
        self.p3_w2 = nn.Parameter(torch.ones(2))
        self.p4_w2 = nn.Parameter(torch.ones(3))
        self.act = nn.SiLU()
        self.down = nn.MaxPool2d(3, 2, padding=1)

    def _norm(self, w):
        w = F.relu(w)
        return w / (torch.sum(w, dim=0) + self.eps)

    def forward(self, inputs):
        p3, p4, p5 = inputs
        w = self._norm(self.p4_w1)
        p4_up = self.conv4_up(self.act(w[0] * p4 + w[1] * F.interpolate(p5, scale_factor=2, mode="nearest")))
        w = self._norm(self.p3_w2)
        p3_out = self.conv3_out(self.act(w[0] * p3 + w[1] * F.interpolate(p4_up, size=p3.shape[-2:])))
        w = self._norm(self.p4_w2)
        p4_out = self.conv4_out(self.act(w[0] * p4 + w[1] * p4_up + w[2] * self.down(p3_out)))
        return p3_out, p4_out, p5
