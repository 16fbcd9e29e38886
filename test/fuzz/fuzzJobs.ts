// The fuzz jobs as fast-check properties run in seeded chunks; shared by `npm run fuzz` (workers) and the bounded unit tests.
import fc from 'fast-check';
import { binaryBytes, binaryInputArb, type BinaryInput } from './binaryInputs';
import { runBinaryCase, type BinaryKind, type BinaryLimits } from './binaryCase';
import { binarySeeds, sourceSeeds, type BinarySeed, type SourceSeed } from './fuzzCorpus';
import { runCacheCase, runSourceCase, type SourceBudget, type SourceOutcome } from './sourceCase';
import { applyRichMutations, richMutationArb, richMutationsArb, type RichMutation } from './sourceMutations';

export type JobName = 'source' | 'cache' | BinaryKind;

export interface FuzzConfig {
  /** Source cases start from one-class snippets only (fast) instead of whole files too. */
  readonly smallSources: boolean;
  readonly sourceBudget: SourceBudget;
  readonly binaryLimits: BinaryLimits;
  /** How many of the smallest fixtures seed the binary cases. */
  readonly binarySeedCount: number;
}

export const DEFAULT_CONFIG: FuzzConfig = {
  smallSources: true,
  sourceBudget: { maxSteps: 20_000, timeMs: 100, slackMs: 1000 },
  binaryLimits: { maxMs: 2000, maxBytes: 64 << 20, perInputByte: 16 },
  binarySeedCount: 6,
};

export interface ChunkFailure {
  readonly job: JobName;
  readonly chunk: number;
  readonly seed: number;
  readonly error: string;
  /** The shrunk counterexample (fast-check's minimal failing input), as JSON, and what it expands to. */
  readonly counterexample: string;
  readonly input: string;
}

export interface ChunkResult {
  readonly job: JobName;
  readonly chunk: number;
  /** fast-check runs of this chunk (shrink runs not counted). */
  readonly cases: number;
  /** Analyses or decodes performed by those runs (a cache case performs several). */
  readonly executions: number;
  readonly maxMs: number;
  readonly maxMsInput: string;
  readonly budgetDiags: number;
  readonly internal: Record<string, number>;
  /** Binary cases: 'decoded' or the error class and message head, counted. */
  readonly outcomes: Record<string, number>;
  readonly maxAllocated: number;
  readonly failure: ChunkFailure | null;
}

export interface FuzzContext {
  readonly config: FuzzConfig;
  readonly sources: readonly SourceSeed[];
  readonly onnx: readonly BinarySeed[];
  readonly safetensors: readonly BinarySeed[];
  readonly pt: readonly BinarySeed[];
}

export function makeContext(config: FuzzConfig = DEFAULT_CONFIG): FuzzContext {
  return {
    config,
    sources: sourceSeeds(config.smallSources),
    onnx: binarySeeds('.onnx', config.binarySeedCount),
    safetensors: binarySeeds('.safetensors', config.binarySeedCount),
    // every checkpoint fixture (all small): zip and legacy, protocols 2 and 4, nested, whole modules, big-endian
    pt: binarySeeds('.pt', 100),
  };
}

/** A fixed seed per (job, chunk): a failure is reproduced by running that chunk again. */
export function chunkSeed(baseSeed: number, job: JobName, chunk: number): number {
  const salt = { source: 1, cache: 2, onnx: 3, safetensors: 4, pt: 5 }[job];
  return (baseSeed * 7919 + salt * 1_000_003 + chunk * 97) | 0;
}

const clip = (s: string, n = 2000): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

interface SourceInput {
  readonly seed: number;
  readonly ms: RichMutation[];
}

export function runChunk(ctx: FuzzContext, job: JobName, chunk: number, numRuns: number, baseSeed: number): ChunkResult {
  const seed = chunkSeed(baseSeed, job, chunk);
  const stats = {
    executions: 0,
    maxMs: 0,
    maxMsInput: '',
    budgetDiags: 0,
    internal: {} as Record<string, number>,
    outcomes: {} as Record<string, number>,
    maxAllocated: 0,
  };
  const noteSource = (o: SourceOutcome, input: () => string) => {
    stats.executions += o.analyses;
    stats.budgetDiags += o.budgetDiags;
    for (const m of o.internal) stats.internal[m] = (stats.internal[m] ?? 0) + 1;
    if (o.maxMs > stats.maxMs) {
      stats.maxMs = o.maxMs;
      stats.maxMsInput = input();
    }
  };
  let describe: (input: unknown) => string;
  let property: fc.IProperty<[unknown]>;
  const { sourceBudget, binaryLimits } = ctx.config;
  if (job === 'source' || job === 'cache') {
    const pick = (i: number) => ctx.sources[i % ctx.sources.length]!;
    if (job === 'source') {
      const arb = fc.record({ seed: fc.nat(), ms: richMutationsArb });
      describe = (x) => {
        const i = x as SourceInput;
        return `${pick(i.seed).name}:\n${clip(applyRichMutations(pick(i.seed).text, i.ms))}`;
      };
      property = fc.property(arb as fc.Arbitrary<unknown>, (x) => {
        const i = x as SourceInput;
        noteSource(runSourceCase(applyRichMutations(pick(i.seed).text, i.ms), sourceBudget), () => describe(i));
      });
    } else {
      const arb = fc.record({ seed: fc.nat(), ms: fc.array(richMutationArb, { minLength: 1, maxLength: 5 }) });
      describe = (x) => {
        const i = x as SourceInput;
        return `${pick(i.seed).name}, edits ${clip(JSON.stringify(i.ms), 600)}`;
      };
      property = fc.property(arb as fc.Arbitrary<unknown>, (x) => {
        const i = x as SourceInput;
        noteSource(runCacheCase(pick(i.seed).text, i.ms, sourceBudget), () => describe(i));
      });
    }
  } else {
    const seeds = job === 'onnx' ? ctx.onnx : job === 'pt' ? ctx.pt : ctx.safetensors;
    describe = (x) => {
      const i = x as BinaryInput;
      return `${seeds[i.seed % seeds.length]!.name} ${clip(JSON.stringify(i.damage), 600)}`;
    };
    property = fc.property(binaryInputArb(job) as fc.Arbitrary<unknown>, (x) => {
      const i = x as BinaryInput;
      const bytes = binaryBytes(job, seeds, i);
      const o = runBinaryCase(job, bytes, binaryLimits);
      stats.executions++;
      const key = o.decoded
        ? 'decoded'
        : o
            .error!.replace(/'[^']*'/g, "'…'")
            .replace(/\d+/g, 'N')
            .slice(0, 90);
      stats.outcomes[key] = (stats.outcomes[key] ?? 0) + 1;
      stats.maxAllocated = Math.max(stats.maxAllocated, o.allocated);
      if (o.ms > stats.maxMs) {
        stats.maxMs = o.ms;
        stats.maxMsInput = `${describe(i)} (${bytes.length} bytes)`;
      }
    });
  }
  const r = fc.check(property, { numRuns, seed });
  const failure: ChunkFailure | null = r.failed
    ? {
        job,
        chunk,
        seed,
        error: r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance),
        counterexample: clip(JSON.stringify(r.counterexample?.[0] ?? null), 1500),
        input: r.counterexample ? describe(r.counterexample[0]) : '',
      }
    : null;
  return { job, chunk, cases: r.numRuns, ...stats, failure };
}
