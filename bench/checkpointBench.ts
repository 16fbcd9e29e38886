// Checkpoint reading: a 100 MB torch zip checkpoint (stored entries, 64-byte aligned as torch.save writes them) into tensors,
// beside the same tensors from a .safetensors file in the same run; and the peak extra memory of each read (own process).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWeightsFile } from '../src/core/weights/readWeightsFile';
import { writeSafetensors } from '../src/core/weights/writeSafetensors';
import { makeZip, PickleWriter } from '../test/support/checkpointBuilder';
import { medianMs, type BenchRow } from './benchRow';

const TENSORS = 50;
const SHAPE = [512, 1024]; // 2 MiB of float32 each: 100 MiB in all

/** Writes the two files (generated now, never committed) and returns their paths and the tensor bytes. */
export function writeBenchCheckpoints(dir: string): { pt: string; st: string; tensorBytes: number } {
  const numel = SHAPE[0]! * SHAPE[1]!;
  const tensors: [string, { dtype: 'float32'; shape: number[]; data: Float32Array }][] = [];
  for (let i = 0; i < TENSORS; i++) {
    const data = new Float32Array(numel);
    for (let j = 0; j < numel; j += 97) data[j] = Math.sin(i + j);
    tensors.push([`layer${i}.weight`, { dtype: 'float32', shape: SHAPE, data }]);
  }
  const w = new PickleWriter().proto(2).op('}').op('(');
  tensors.forEach(([name], i) => w.str(name).tensor(String(i), numel, SHAPE, [SHAPE[1]!, 1]));
  const pickle = w.op('u').stop();
  const zip = makeZip(
    [
      { name: 'bench/data.pkl', data: pickle },
      ...tensors.map(([, t], i) => ({ name: `bench/data/${i}`, data: new Uint8Array(t.data.buffer) })),
      { name: 'bench/version', data: new TextEncoder().encode('3\n') },
    ],
    64,
  );
  const pt = join(dir, 'bench.pth');
  const st = join(dir, 'bench.safetensors');
  writeFileSync(pt, zip);
  writeFileSync(st, writeSafetensors(tensors));
  return { pt, st, tensorBytes: TENSORS * numel * 4 };
}

function readAll(file: string): number {
  const w = readWeightsFile(readFileSync(file), file);
  let n = 0;
  for (const t of w.tensors.values()) n += t.data.length;
  return n;
}

/** Peak RSS growth of one read in a fresh process (bench/checkpointChild.ts). */
function peakExtra(file: string): number {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'checkpointChild.ts'), file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`checkpointChild: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { peakExtra: number }).peakExtra;
}

export async function checkpointBench(runs: number): Promise<BenchRow[]> {
  const dir = join(tmpdir(), `fl-ckpt-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const { pt, st, tensorBytes } = writeBenchCheckpoints(dir);
    const ptMs = await medianMs(() => readAll(pt), runs);
    const stMs = await medianMs(() => readAll(st), runs);
    const mb = (n: number) => n / 2 ** 20;
    const ptPeak = peakExtra(pt);
    const stPeak = peakExtra(st);
    return [
      {
        section: 'checkpoint',
        figure: 'read 100 MB torch zip checkpoint (stored) into tensors',
        value: ptMs,
        unit: 'ms',
        baseline: 'same tensors from .safetensors',
        baselineValue: stMs,
        target: 'ratio ≤ 1.5',
      },
      {
        section: 'checkpoint',
        figure: 'peak extra memory reading it (own process, max RSS growth)',
        value: mb(ptPeak),
        unit: 'MiB',
        baseline: 'tensor bytes',
        baselineValue: mb(tensorBytes),
        target: 'ratio ≤ 1.2',
      },
      {
        section: 'checkpoint',
        figure: 'peak extra memory reading the .safetensors (own process)',
        value: mb(stPeak),
        unit: 'MiB',
        baseline: 'tensor bytes',
        baselineValue: mb(tensorBytes),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
