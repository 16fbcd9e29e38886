// Generates realistic PyTorch model files of a requested length, for benchmarks and fuzzing.

/** One residual-style block class with a fusion of two branches; about 30 lines. */
function blockClass(i: number): string {
  return `
class Block${i}(nn.Module):
    """Residual block ${i}: two 3x3 convs plus a gated 1x1 side branch."""

    def __init__(self, in_ch: int, out_ch: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.gate = nn.Conv2d(out_ch, out_ch, 1)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_ch),
            )

    def forward(self, x):
        identity = self.shortcut(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        g = torch.sigmoid(self.gate(out))
        out = out * g
        out = out + identity
        return F.relu(out)
`;
}

/** A top-level model that chains `blocks` block classes, widening every few stages. */
function modelClass(blocks: number): string {
  const lines: string[] = [];
  lines.push('', '', 'class BigModel(nn.Module):', '    def __init__(self, num_classes: int = 10) -> None:', '        super().__init__()');
  lines.push('        self.stem = nn.Conv2d(3, 16, 3, padding=1)');
  let ch = 16;
  for (let i = 0; i < blocks; i++) {
    const down = i > 0 && i % 8 === 0 && ch < 256;
    const out = down ? ch * 2 : ch;
    lines.push(`        self.block${i} = Block${i}(${ch}, ${out}, stride=${down ? 2 : 1})`);
    ch = out;
  }
  lines.push('        self.pool = nn.AdaptiveAvgPool2d(1)', `        self.fc = nn.Linear(${ch}, num_classes)`, '');
  lines.push('    def forward(self, x):', '        x = self.stem(x)');
  for (let i = 0; i < blocks; i++) lines.push(`        x = self.block${i}(x)`);
  lines.push('        x = torch.flatten(self.pool(x), 1)', '        return self.fc(x)', '');
  return lines.join('\n');
}

/** A model file of roughly `targetLines` lines. */
export function syntheticModelFile(targetLines: number): string {
  const header = '"""Synthetic benchmark model."""\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
  const perBlock = blockClass(0).split('\n').length + 1; // + its line in __init__ and forward
  const blocks = Math.max(1, Math.round((targetLines - 20) / perBlock));
  const parts = [header];
  for (let i = 0; i < blocks; i++) parts.push(blockClass(i));
  parts.push(modelClass(blocks));
  return parts.join('\n');
}
