// One weights-file read in a fresh process: prints the growth of max RSS (peak, not final) while reading it into tensors.
// usage: node --expose-gc --import tsx bench/checkpointChild.ts FILE
import { readFileSync } from 'node:fs';
import { readWeightsFile } from '../src/core/weights/readWeightsFile';

const file = process.argv[2]!;
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage().rss; // current RSS: the peak during the read is measured above it
const w = readWeightsFile(readFileSync(file), file);
let elements = 0;
for (const t of w.tensors.values()) elements += t.data.length;
const after = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ peakExtra: after - before, elements }));
