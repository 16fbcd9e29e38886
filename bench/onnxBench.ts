// ONNX decode figures: generated graphs of 1k/10k/30k nodes and a real PyTorch export, against the bare protobuf decode.
import { existsSync, readFileSync } from 'node:fs';
import { decodeOnnx } from '../src/core/onnx/decodeOnnx';
import { readModelProto } from '../src/core/onnx/readModelProto';
import { medianMs, type BenchRow } from './benchRow';
import { syntheticOnnx } from './syntheticOnnx';
import { sharedPath } from '../test/support/shared.mjs';

export async function onnxBench(runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cases: [string, Uint8Array][] = [1000, 10000, 30000].map((n) => [`generated ${n.toLocaleString('en-US')}-node graph`, syntheticOnnx(n)]);
  const real = sharedPath('oracle', 'onnx', 'unet_odd72.onnx');
  if (existsSync(real)) cases.push(['PyTorch export unet_odd72.onnx', new Uint8Array(readFileSync(real))]);
  for (const [label, bytes] of cases) {
    const wire = await medianMs(() => readModelProto(bytes), runs);
    const full = await medianMs(() => decodeOnnx(bytes), runs);
    rows.push({
      section: 'onnx',
      figure: `decode → ModelGraph (shapes inferred), ${label}`,
      value: full,
      unit: 'ms',
      baseline: 'protobuf wire decode only',
      baselineValue: wire,
    });
  }
  return rows;
}
