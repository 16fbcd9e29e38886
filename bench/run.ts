// `npm run bench`: every figure the issues ask for, each beside a baseline measured in the same run; a table and JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { formatTable, ratio, type BenchRow } from './benchRow';
import { engineBench } from './engineBench';
import { runnerBench } from './runnerBench';
import { backendBench } from './backendBench';
import { onnxBench } from './onnxBench';
import { layoutBenchRows } from './layoutBench';
import { eventLoopBench } from './eventLoopBench';
import { checkpointBench } from './checkpointBench';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 9;

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  const sections: [string, () => Promise<BenchRow[]>][] = [
    ['engine', () => engineBench(runs)],
    ['runner', () => runnerBench(runs)],
    ['backends', () => backendBench(quick ? 3 : 5)],
    ['onnx', () => onnxBench(runs)],
    // `--netron=DIR` (a folder holding Netron's source/dagre.js): Netron's layout is the baseline instead of elkjs
    ['layout', () => layoutBenchRows(quick ? 1 : 3, undefined, undefined, process.argv.find((a) => a.startsWith('--netron='))?.slice('--netron='.length))],
    ['editor', () => eventLoopBench(quick ? 3 : 7)],
    ['checkpoint', () => checkpointBench(runs)],
  ];
  // `--only engine,layout` runs a subset.
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  for (const [name, run] of sections.filter(([n]) => !only || only.includes(n))) {
    process.stderr.write(`bench: ${name}…\n`);
    rows.push(...(await run()));
  }
  console.log(formatTable(rows));
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    '.bench/report.json',
    JSON.stringify({ date: new Date().toISOString(), node: process.version, rows: rows.map((r) => ({ ...r, ratio: ratio(r) })) }, null, 2),
  );
  console.log('\nJSON: .bench/report.json');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
