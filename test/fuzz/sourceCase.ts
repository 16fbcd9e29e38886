// One source fuzz case: analyse a damaged file (directly or through the incremental cache) and check the robustness properties.
import { analyzeSource, type FileAnalysis } from '../../src/core/interp/analyzeFile';
import { AnalysisCache } from '../../src/core/interp/analysisCache';
import { applyRichMutation, type RichMutation } from './sourceMutations';

export interface SourceBudget {
  readonly maxSteps: number;
  readonly timeMs: number;
  /** Wall time allowed on top of the analysis' own deadlines (parsing, GC, a loaded machine). */
  readonly slackMs: number;
}

export interface SourceOutcome {
  /** Analyses performed (one, or one per edit of a cache sequence). */
  readonly analyses: number;
  /** Longest single analysis, in ms. */
  readonly maxMs: number;
  readonly budgetDiags: number;
  /** 'internal' diagnostics: defects of the analysis that were caught and reported instead of thrown. */
  readonly internal: readonly string[];
}

export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

/**
 * Each model run of a class gets its own deadline (module level once, then up to two runs per class:
 * the run and the re-run with solved input sizes), so a file's analysis may take that many budgets.
 */
export function allowedMs(fa: FileAnalysis, b: SourceBudget): number {
  return b.timeMs * (1 + 2 * Math.max(fa.classes.length, fa.models.length)) + b.slackMs;
}

function checkAnalysis(fa: FileAnalysis, ms: number, b: SourceBudget, acc: { budgetDiags: number; internal: string[] }): void {
  if (!Array.isArray(fa.classes) || !Array.isArray(fa.syntaxErrors) || !Array.isArray(fa.diagnostics)) {
    throw new PropertyViolation('analysis result is missing classes, syntaxErrors or diagnostics');
  }
  const all = [...fa.diagnostics, ...fa.syntaxErrors, ...fa.classes.flatMap((c) => c.diagnostics)];
  for (const d of all) {
    if (!SEVERITIES.has(d.severity) || typeof d.message !== 'string' || d.message.length === 0) {
      throw new PropertyViolation(`malformed diagnostic ${JSON.stringify(d).slice(0, 200)}`);
    }
    if (d.code === 'budget') acc.budgetDiags++;
    if (d.code === 'internal') acc.internal.push(d.message.slice(0, 160));
  }
  for (const c of fa.classes) {
    if (c.graph === null && c.isModel && c.buildable && !c.stale && c.diagnostics.length === 0) {
      throw new PropertyViolation(`model class ${c.name} has neither a graph nor a diagnostic saying why`);
    }
  }
  const limit = allowedMs(fa, b);
  if (ms > limit) throw new PropertyViolation(`analysis took ${ms.toFixed(0)} ms, above the allowed ${limit} ms`);
}

/** Runs `fn` and measures it; an exception escaping the analysis is itself the violation. */
function timed<T>(fn: () => T, what: string): { value: T; ms: number } {
  const t0 = performance.now();
  let value: T;
  try {
    value = fn();
  } catch (e) {
    throw new PropertyViolation(`${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return { value, ms: performance.now() - t0 };
}

/** analyzeSource on one damaged text. A case over the time limit is re-run once, so a descheduled thread is not a failure. */
export function runSourceCase(text: string, b: SourceBudget): SourceOutcome {
  const acc = { budgetDiags: 0, internal: [] as string[] };
  const once = () => timed(() => analyzeSource({ text, file: '/fuzz/model.py', budget: { maxSteps: b.maxSteps, timeMs: b.timeMs } }), 'analyzeSource');
  let r = once();
  if (r.ms > allowedMs(r.value, b)) r = once();
  checkAnalysis(r.value, r.ms, b, acc);
  return { analyses: 1, maxMs: r.ms, ...acc };
}

/** A shape summary of an analysis, to compare before and after an edit sequence. */
export function shapeSummary(fa: FileAnalysis): string {
  return fa.classes
    .map(
      (c) =>
        `${c.name}:${
          c.graph
            ? c.graph.outputs
                .map((id) =>
                  c
                    .graph!.values.get(id)
                    ?.shape?.map((d) => d.value)
                    .join('x'),
                )
                .join('|')
            : '-'
        }`,
    )
    .join(',');
}

/**
 * An edit sequence through AnalysisCache.update, one mutation at a time, then back to the original text:
 * every update returns within the limits, and the original text gives the original shapes back.
 */
export function runCacheCase(seed: string, edits: readonly RichMutation[], b: SourceBudget): SourceOutcome {
  const acc = { budgetDiags: 0, internal: [] as string[] };
  const cache = new AnalysisCache();
  const req = (text: string) => ({ text, file: '/fuzz/model.py', budget: { maxSteps: b.maxSteps, timeMs: b.timeMs } });
  let maxMs = 0;
  let analyses = 0;
  const update = (text: string): FileAnalysis => {
    let r = timed(() => cache.update('doc', req(text)), 'AnalysisCache.update');
    if (r.ms > allowedMs(r.value, b)) {
      // Re-time the same text on a fresh cache state: forget and replay is not equivalent, so retry the update itself.
      r = timed(() => cache.update('doc', { ...req(text), cacheSalt: 'retry' }), 'AnalysisCache.update');
    }
    checkAnalysis(r.value, r.ms, b, acc);
    maxMs = Math.max(maxMs, r.ms);
    analyses++;
    return r.value;
  };
  try {
    const first = update(seed);
    let text = seed;
    for (const m of edits) {
      text = applyRichMutation(text, m);
      update(text);
    }
    const back = update(seed);
    // A time-budget stop depends on the machine's load, not on the text: such a pair is not compared.
    const timedOut = (fa: FileAnalysis) => fa.classes.some((c) => c.diagnostics.some((d) => d.code === 'budget' && /time/.test(d.message)));
    if (!timedOut(first) && !timedOut(back) && shapeSummary(back) !== shapeSummary(first)) {
      throw new PropertyViolation(`after the edits, the original text gives ${shapeSummary(back)} instead of ${shapeSummary(first)}`);
    }
    if (back.classes.some((c) => c.stale)) throw new PropertyViolation('after the edits, the original text still shows stale classes');
  } finally {
    cache.forget('doc');
  }
  return { analyses, maxMs, ...acc };
}
