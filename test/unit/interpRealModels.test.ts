// Model code in the style of popular repositories (builders, _make_layer, Optional[Callable], init loops, nn.Sequential subclasses):
// exact output shapes and the well-known parameter counts of ResNet-18/50, VGG-11 and MobileNetV2.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initTestParser } from '../support/pythonWasm';
import { graphOf, runModelSrc } from '../support/interpHarness';

before(initTestParser);

const RESNET = readFileSync(join(__dirname, 'samples/resnet_torchvision.py'), 'utf8');

test('torchvision-style ResNet-18 and ResNet-50 via builder functions', () => {
  const r18 = graphOf(runModelSrc(RESNET, 'resnet18()', ['2x3x224x224']));
  assert.equal(r18.paramsTotal, 11689512);
  assert.deepEqual(
    r18.outputs.map((id) => r18.values.get(id)?.shape?.map((d) => d.value)),
    [[2, 1000]],
  );
  assert.ok(r18.modules.some((m) => m.path === 'layer2.0.downsample.0' && m.type === 'Conv2d'));
  assert.deepEqual(
    r18.modules.find((m) => m.path === 'layer4')?.out.map((s) => s?.map((d) => d.value)),
    [[2, 512, 7, 7]],
  );
  const bad = r18.diagnostics.filter((d) => d.severity !== 'info');
  assert.deepEqual(bad, []);
  const r50 = graphOf(runModelSrc(RESNET, 'resnet50(num_classes=10)', ['1x3x64x64']));
  assert.equal(r50.paramsTotal, 25557032 - 2049000 + 20490);
  assert.deepEqual(
    r50.outputs.map((id) => r50.values.get(id)?.shape?.map((d) => d.value)),
    [[1, 10]],
  );
  // Per-call-site records of the shared Bottleneck.forward lines.
  const outLine = r50.lines.filter((l) => l.qualname === 'Bottleneck.forward' && l.var === 'identity');
  assert.equal(new Set(outLine.map((l) => l.owner)).size, 16);
});

const VGG = `
from typing import Dict, List, Union, cast
import torch
import torch.nn as nn

cfgs: Dict[str, List[Union[str, int]]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
}


class VGG(nn.Module):
    def __init__(self, features: nn.Module, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x


def make_layers(cfg: List[Union[str, int]], batch_norm: bool = False) -> nn.Sequential:
    layers: List[nn.Module] = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            v = cast(int, v)
            conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            if batch_norm:
                layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            else:
                layers += [conv2d, nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


def vgg11(**kwargs) -> VGG:
    return VGG(make_layers(cfgs["A"], batch_norm=False), **kwargs)


def vgg16_bn(**kwargs) -> VGG:
    return VGG(make_layers(cfgs["D"], batch_norm=True), **kwargs)
`;

test('torchvision-style VGG via cfg dicts and make_layers', () => {
  const g = graphOf(runModelSrc(VGG, 'vgg11()', ['1x3x224x224']));
  assert.equal(g.paramsTotal, 132863336);
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[1, 1000]],
  );
  const g16 = graphOf(runModelSrc(VGG, 'vgg16_bn()', ['1x3x32x32']));
  assert.equal(g16.paramsTotal, 138365992);
  assert.deepEqual(
    g16.modules.find((m) => m.path === 'avgpool')?.out.map((s) => s?.map((d) => d.value)),
    [[1, 512, 7, 7]],
  );
});

const MOBILENET = `
from typing import Optional
import torch
from torch import nn


def _make_divisible(v: float, divisor: int, min_value: Optional[int] = None) -> int:
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class ConvBNReLU(nn.Sequential):
    def __init__(self, in_planes, out_planes, kernel_size=3, stride=1, groups=1):
        padding = (kernel_size - 1) // 2
        super().__init__(
            nn.Conv2d(in_planes, out_planes, kernel_size, stride, padding, groups=groups, bias=False),
            nn.BatchNorm2d(out_planes),
            nn.ReLU6(inplace=True),
        )


class InvertedResidual(nn.Module):
    def __init__(self, inp: int, oup: int, stride: int, expand_ratio: int) -> None:
        super().__init__()
        self.stride = stride
        if stride not in [1, 2]:
            raise ValueError(f"stride should be 1 or 2 instead of {stride}")
        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = self.stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(ConvBNReLU(inp, hidden_dim, kernel_size=1))
        layers.extend([
            ConvBNReLU(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim),
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
        ])
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        else:
            return self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000, width_mult=1.0, inverted_residual_setting=None, round_nearest=8, block=None, dropout=0.2):
        super().__init__()
        if block is None:
            block = InvertedResidual
        input_channel = 32
        last_channel = 1280
        if inverted_residual_setting is None:
            inverted_residual_setting = [
                [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
            ]
        if len(inverted_residual_setting) == 0 or len(inverted_residual_setting[0]) != 4:
            raise ValueError("inverted_residual_setting should be non-empty and a 4-element list")
        input_channel = _make_divisible(input_channel * width_mult, round_nearest)
        self.last_channel = _make_divisible(last_channel * max(1.0, width_mult), round_nearest)
        features = [ConvBNReLU(3, input_channel, stride=2)]
        for t, c, n, s in inverted_residual_setting:
            output_channel = _make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                stride = s if i == 0 else 1
                features.append(block(input_channel, output_channel, stride, expand_ratio=t))
                input_channel = output_channel
        features.append(ConvBNReLU(input_channel, self.last_channel, kernel_size=1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(self.last_channel, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x
`;

test('MobileNetV2 with an nn.Sequential subclass, _make_divisible and residual flags', () => {
  const g = graphOf(runModelSrc(MOBILENET, 'MobileNetV2()', ['1x3x224x224']));
  assert.equal(g.paramsTotal, 3504872);
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[1, 1000]],
  );
  assert.deepEqual(
    g.modules.find((m) => m.path === 'features.18')?.out.map((s) => s?.map((d) => d.value)),
    [[1, 1280, 7, 7]],
  );
  assert.equal(g.modules.find((m) => m.path === 'features.0')?.type, 'ConvBNReLU');
  assert.deepEqual(
    g.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
});

// The same source the idioms oracle checks against PyTorch; one copy serves both tests.
const GPT = readFileSync(join(__dirname, '../oracle/idioms/models/nano_gpt.py'), 'utf8');

test('nanoGPT-style model: dataclass config, ModuleDict(dict(...)), weight tying, apply(init), split/view/transpose attention', () => {
  const g = graphOf(runModelSrc(GPT, 'GPT(GPTConfig(n_layer=2))', ['idx=2x16:int64']));
  // Tied wte/lm_head weights count once.
  assert.equal(g.paramsTotal, 30720);
  assert.equal(g.outputKind, 'tuple');
  assert.deepEqual(
    g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value)),
    [[2, 1, 100]],
  );
  assert.ok(g.stateDict.some((e) => e.name === 'lm_head.weight' && e.aliasOf === 'transformer.wte.weight'));
  const att = g.lines.filter((l) => l.qualname === 'CausalSelfAttention.forward' && l.var === 'att');
  assert.deepEqual([...new Set(att.map((l) => l.owner))], ['transformer.h.0.attn', 'transformer.h.1.attn']);
  assert.deepEqual(
    g.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
});
