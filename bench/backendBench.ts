// Backend figures: FusionModel 4×3×256×256 forward on our Node runner (wasm; native when onnxruntime-node is installed) beside PyTorch eager on the same input, thread for thread.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { nativeAvailable } from '../src/core/run/nativeOrt';
import type { BenchRow } from './benchRow';
import { child, exportFusionModel } from './runnerBench';

const PYTHON = '/usr/bin/python3';
const THREADS = [1, 2];

interface TorchTiming {
  readonly threads: number;
  readonly medianMs: number;
}

/** Why PyTorch cannot be timed here, or null when `/usr/bin/python3` has torch. */
function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} missing`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `${PYTHON} has no torch`;
}

/** PyTorch eager medians at the given thread counts (bench/torchEager.py), or why there are none. */
function torchEager(modelFile: string, runs: number, threads: readonly number[]): TorchTiming[] | string {
  const missing = torchMissing();
  if (missing) return missing;
  const r = spawnSync(PYTHON, [join(__dirname, 'torchEager.py'), modelFile, 'FusionModel', '4,3,256,256', threads.join(','), String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 22,
  });
  if (r.status !== 0) return `torchEager.py failed: ${r.stderr.trim().split('\n').pop()}`;
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { runs: TorchTiming[] }).runs;
}

export async function backendBench(runs: number): Promise<BenchRow[]> {
  const { ours, modelFile } = await exportFusionModel();
  const rows: BenchRow[] = [];
  const native = nativeAvailable();
  for (const t of THREADS) {
    // each thread count's three measurements back to back, so a change in the machine's load between them stays small
    const load0 = loadavg()[0]!;
    const torch = torchEager(modelFile, runs, [t]);
    const wasm = child('node', t, runs, [ours])[0]!.runMs;
    const nat = native ? child('native', t, runs, [ours])[0]!.runMs : NaN;
    process.stderr.write(
      `bench: backends at ${t} thread(s): load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores\n`,
    );
    const py = typeof torch === 'string' ? undefined : torch.find((x) => x.threads === t)?.medianMs;
    const base = py === undefined ? `PyTorch eager, ${t} thread(s): not run (${String(torch)})` : `PyTorch 1.13 eager (CPU), ${t} thread${t > 1 ? 's' : ''}`;
    rows.push({
      section: 'backends',
      figure: `FusionModel forward, native CPU (onnxruntime-node), ${t} thread${t > 1 ? 's' : ''}${native ? '' : ' — not run: onnxruntime-node not installed'}`,
      value: nat,
      unit: 'ms',
      baseline: base,
      baselineValue: py ?? NaN,
      target: 'ratio ≤ 1.0',
    });
    rows.push({
      section: 'backends',
      figure: `FusionModel forward, wasm (onnxruntime-web, Node runner), ${t} thread${t > 1 ? 's' : ''}`,
      value: wasm,
      unit: 'ms',
      baseline: base,
      baselineValue: py ?? NaN,
      target: 'gap expected: 128-bit wasm SIMD vs AVX2/FMA kernels (oneDNN), no wasm FMA',
    });
  }
  // Never faked: a real GPU is not on this machine (the e2e run proves the WebGPU code path on SwiftShader, a CPU emulation).
  rows.push({
    section: 'backends',
    figure: 'FusionModel forward, WebGPU on a hardware GPU — not run: this machine has no GPU',
    value: NaN,
    unit: 'ms',
    baseline: 'wasm, 1 thread',
    baselineValue: NaN,
    target: 'measure on a machine with a GPU',
  });
  return rows;
}
