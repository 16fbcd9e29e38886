// `fusion-lens run`: forward passes of one or several models (Python classes or .onnx files) on the same input, with stats and comparisons.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { resolve } from 'node:path';
import type { ModelGraph } from '../core/graph/modelGraph';
import { analyzeSource } from '../core/interp/analyzeFile';
import { parseInputSpec, type InputKind, type InputSpec } from '../core/interp/inputSpec';
import { initPythonParser } from '../core/python/pythonParser';
import { decodeOnnx } from '../core/onnx/decodeOnnx';
import { exportOnnx } from '../core/onnx/encodeOnnx';
import { initStateDict } from '../core/weights/initStateDict';
import { loadStateDict } from '../core/weights/loadStateDict';
import type { StateDict } from '../core/weights/stateTensor';
import { nodeParserOptions } from './wasmLocation';
import { compareTensors, sameShape } from '../core/run/compareTensors';
import { formatTensor } from '../core/run/formatTensor';
import { checkRunMemory, DEFAULT_MEMORY_LIMIT_BYTES, formatBytes, type MemoryEstimate } from '../core/run/memoryGuard';
import { backendText, type BackendInfo } from '../core/run/backend';
import { cliRunner, parseBackend, parseThreads, type CliBackend } from './cliBackend';
import type { RunTensor } from '../core/run/runner';
import { tensorStats, type TensorStats } from '../core/run/tensorStats';
import { layerStats, layerValueIds, modelInputNames, summaryGateFeed, type LayerStat, type LayerTap } from '../core/run/layerStats';
import { concreteShape, type DType } from '../core/shape/shape';
import { readSafetensors } from '../core/weights/readSafetensors';
import { describeWeights, readWeightsFile } from '../core/weights/readWeightsFile';
import { weightChanges } from '../core/weights/weightChange';
import { Rng } from '../core/weights/rng';
import { writeSafetensors } from '../core/weights/writeSafetensors';
import { IMPORT_USAGE, importSources, noImportOptions, takeImportFlag, type ImportOptions } from './importSources';
import { writeOut } from './output';

const USAGE = `usage: fusion-lens run FILE [--model EXPR]... [--input SPEC]... [--weights F]... [--weights-entry PATH]
                        [--inputs F.safetensors] [--save-outputs OUT.safetensors] [--seed N]
                        [--threads N|auto] [--backend wasm|native] [--memory-limit MB] [--layer-stats] [--json]
                        [--input-kind tensor|list|dict] [--python-path DIR]... [--python-env PREFIX]
  FILE is a Python model file or an .onnx file; further .onnx files run on the same inputs and are compared.
  --input-kind K      tensor (one argument per input, default), list or dict (all inputs in one argument)
  --weights F         a .safetensors file or a torch.save checkpoint (.pt/.pth/.bin, read without unpickling);
                      twice with one model: two checkpoints side by side (outputs and per-parameter weight change)
  --weights-entry P   the state dict of a checkpoint that holds several (e.g. ema)
${IMPORT_USAGE}`;

export interface RunOptions {
  file: string;
  /** Further .onnx files to run on the same inputs and compare (when FILE is an .onnx file too). */
  moreOnnx: string[];
  models: string[];
  inputSpecs: string[];
  /** How the inputs are passed to forward (as for `shapes`). */
  inputKind: InputKind;
  imports: ImportOptions;
  weights: string | null;
  /** Further checkpoints: the one model runs once per file. */
  moreWeights: string[];
  weightsEntry: string | undefined;
  inputs: string | null;
  saveOutputs: string | null;
  seed: number;
  threads: number;
  /** wasm (onnxruntime-web, default) or native (onnxruntime-node's CPU backend, an optional dependency). */
  backend: CliBackend;
  memoryLimit: number;
  json: boolean;
  layerStats: boolean;
}

export function parseRunArgs(argv: readonly string[]): RunOptions | string {
  const o: RunOptions = {
    file: '',
    moreOnnx: [],
    models: [],
    inputSpecs: [],
    inputKind: 'args',
    imports: noImportOptions(),
    weights: null,
    moreWeights: [],
    weightsEntry: undefined,
    inputs: null,
    saveOutputs: null,
    seed: 0,
    threads: 1,
    backend: 'wasm',
    memoryLimit: DEFAULT_MEMORY_LIMIT_BYTES,
    json: false,
    layerStats: false,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min) throw new Error(`${a} needs an integer ≥ ${min}, got '${v}'`);
      return n;
    };
    try {
      const imp = takeImportFlag(o.imports, a, () => argv[++i] ?? null);
      if (typeof imp === 'string') return imp;
      if (imp) continue;
      switch (a) {
        case '--model':
          o.models.push(value());
          break;
        case '--input-kind': {
          const k = parseInputKind(value());
          if (!k) return `--input-kind must be tensor, list or dict (got ${argv[i]})`;
          o.inputKind = k;
          break;
        }
        case '--input':
          o.inputSpecs.push(value());
          break;
        case '--weights':
          if (o.weights === null) o.weights = value();
          else o.moreWeights.push(value());
          break;
        case '--weights-entry':
          o.weightsEntry = value();
          break;
        case '--inputs':
          o.inputs = value();
          break;
        case '--save-outputs':
          o.saveOutputs = value();
          break;
        case '--seed':
          o.seed = int(0);
          break;
        case '--threads': {
          const t = parseThreads(value());
          if (typeof t === 'string') throw new Error(t);
          o.threads = t;
          break;
        }
        case '--backend': {
          const b = parseBackend(value());
          if (b !== 'wasm' && b !== 'native') throw new Error(b);
          o.backend = b;
          break;
        }
        case '--memory-limit': {
          const v = value();
          const mb = Number(v);
          if (!(mb > 0)) throw new Error(`--memory-limit needs a positive number of MiB, got '${v}'`);
          o.memoryLimit = mb * 1024 * 1024;
          break;
        }
        case '--json':
          o.json = true;
          break;
        case '--layer-stats':
          o.layerStats = true;
          break;
        default:
          if (a.startsWith('-')) return `unknown option ${a}`;
          files.push(a);
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (files.length === 0) return 'missing FILE';
  const isOnnx = (f: string): boolean => f.toLowerCase().endsWith('.onnx');
  if (!files.slice(1).every(isOnnx)) return 'give one Python FILE, or one or more .onnx files';
  o.file = files[0]!;
  o.moreOnnx = files.slice(1);
  if (o.saveOutputs && o.models.length > 1) return '--save-outputs needs a single model';
  if (o.moreWeights.length && o.models.length > 1) return 'several --weights run one model side by side; give at most one --model';
  return o;
}

/** One model ready to run: ONNX bytes plus the graph the memory guard reads. */
export interface RunnableModel {
  readonly label: string;
  readonly bytes: Uint8Array;
  readonly graph: ModelGraph;
  /** ONNX input/output names in graph order. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Value id → its statistics output (or, for model outputs, the output itself), for per-layer statistics. */
  readonly exposed?: ReadonlyMap<string, LayerTap>;
  /** What the model ran with: `seeded (seed 0)` or the weights file and what was read from it. */
  readonly weights?: string;
  readonly stateDict?: StateDict;
}

interface ModelResult {
  readonly label: string;
  readonly memory: MemoryEstimate;
  readonly sessionCreateMs: number;
  readonly runMs: number;
  readonly outputs: { readonly name: string; readonly tensor: RunTensor; readonly stats: TensorStats }[];
  readonly layers: LayerStat[];
  readonly weights?: string;
}

/** The wasm files next to the bundled CLI (dist/wasm/); under tsx the package's own copy is used. */
function bundledWasmDir(): string | undefined {
  const dir = join(__dirname, 'wasm');
  return existsSync(join(dir, 'ort-wasm-simd-threaded.wasm')) ? dir : undefined;
}

function loadOnnxModel(file: string): RunnableModel {
  const bytes = new Uint8Array(readFileSync(file));
  const d = decodeOnnx(bytes, basename(file));
  const external = d.graph.diagnostics.filter((x) => x.code === 'onnx-external-data');
  if (external.length)
    throw new Error(`${basename(file)} keeps ${external.length} initializer(s) in external data files, which are not loaded: ${external[0]!.message}`);
  return { label: basename(file), bytes, graph: d.graph, inputNames: d.graph.inputs.map((i) => i.name), outputNames: d.graph.outputs };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Interprets `file` and returns one graph per model expression (default: every nn.Module class
 * that builds without arguments). Models that do not interpret are errors naming the cause.
 */
export function parseInputKind(v: string | null | undefined): InputKind | null {
  return v === 'tensor' || v === 'args' ? 'args' : v === 'list' || v === 'dict' ? v : null;
}

export interface AnalyzeModelsOptions {
  readonly inputKind?: InputKind;
  readonly imports?: ImportOptions;
}

export async function analyzeModels(
  file: string,
  models: readonly string[],
  inputSpecs: readonly string[],
  opts: AnalyzeModelsOptions = {},
): Promise<ModelGraph[]> {
  const path = resolve(file);
  const text = readOrNull(path);
  if (text === null) throw new Error(`cannot read ${file}`);
  const inputs: InputSpec[] = inputSpecs.map((t) => {
    const s = parseInputSpec(t);
    if (typeof s === 'string') throw new Error(`--input ${t}: ${s}`);
    return s;
  });
  await initPythonParser(nodeParserOptions());
  const fa = analyzeSource({
    text,
    file: path,
    ...importSources(path, opts.imports ?? noImportOptions()),
    ...(models.length ? { models: models.map((expr) => ({ expr, ...(inputs.length ? { inputs } : {}), inputKind: opts.inputKind ?? 'args' })) } : {}),
    ...(!models.length && inputs.length ? { inputOverrides: new Proxy({}, { get: () => inputs }) } : {}),
  });
  const runs = models.length ? fa.models : fa.classes.filter((c) => c.isModel && c.buildable);
  if (runs.length === 0) throw new Error(`no nn.Module class of ${file} can be built without arguments; use --model EXPR`);
  return runs.map((r) => {
    const errors = (r.graph ? r.graph.diagnostics : r.diagnostics).filter((d) => d.severity === 'error');
    if (!r.graph || errors.length) throw new Error(`${r.expr}: ${errors.map((d) => d.message).join('; ') || 'not analysed'}`);
    return r.graph;
  });
}

/** The state dict a model runs with: loaded by name from .safetensors or a torch.save checkpoint, or PyTorch-default init from the seed. */
export function weightsFor(graph: ModelGraph, weightsFile: string | null, seed: number, entry?: string): StateDict {
  return loadWeights(graph, weightsFile, seed, entry).tensors;
}

/** As weightsFor, with a line saying what was read; checkpoint warnings (placeholders, chosen entry) go to stderr. */
export function loadWeights(graph: ModelGraph, weightsFile: string | null, seed: number, entry?: string): { tensors: StateDict; description: string } {
  if (!weightsFile) return { tensors: initStateDict(graph.stateDict, seed), description: `seeded default init (seed ${seed})` };
  const file = readWeightsFile(readFileSync(weightsFile), weightsFile, { entry });
  if (file.format !== 'safetensors') for (const w of file.warnings) process.stderr.write(`fusion-lens: ${weightsFile}: ${w}\n`);
  return { tensors: loadStateDict(graph.stateDict, file, weightsFile).tensors, description: describeWeights(file, weightsFile) };
}

/** Python model files: interpret, take weights, export to ONNX. */
async function loadPythonModels(o: RunOptions): Promise<RunnableModel[]> {
  const graphs = await analyzeModels(o.file, o.models, o.inputSpecs, { inputKind: o.inputKind, imports: o.imports });
  const files = [o.weights, ...o.moreWeights];
  const runs = graphs.flatMap((graph) => files.map((w) => ({ graph, w })));
  return runs.map(({ graph, w }) => {
    const loaded = loadWeights(graph, w, o.seed, o.weightsEntry);
    const label = files.length > 1 ? `${graph.expr} @ ${basename(w!)}` : graph.expr;
    // per-layer statistics are computed in the graph; the model's own outputs (fetched anyway) are summarised here
    const inputs = new Set(graph.inputs.map((i) => i.value));
    const statsOutputs = o.layerStats ? layerValueIds(graph).filter((v) => !graph.outputs.includes(v) && !inputs.has(v)) : [];
    const exported = exportOnnx(graph, { weights: loaded.tensors, statsOutputs });
    const exposed = new Map<string, LayerTap>([...exported.statsOutputs].map(([v, s]) => [v, { output: s.name, dims: s.dims }]));
    if (o.layerStats) graph.outputs.forEach((v, i) => exposed.set(v, { output: exported.outputNames[i]! }));
    return {
      label,
      bytes: exported.bytes,
      graph,
      inputNames: exported.inputNames,
      outputNames: exported.outputNames,
      weights: loaded.description,
      stateDict: loaded.tensors,
      ...(o.layerStats ? { exposed } : {}),
    };
  });
}

function seededInput(shape: readonly number[], dtype: DType, seed: number, stream: string): RunTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(seed, stream);
  if (dtype === 'int64') return { dtype, shape, data: BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rng.uniform(0, 10)))) };
  if (dtype !== 'float32') throw new Error(`cannot make seeded inputs of dtype ${dtype}; pass --inputs`);
  return { dtype, shape, data: Float32Array.from({ length: n }, () => rng.normal()) };
}

/** Inputs for a model, in graph input order: from an io file (`input.0`, …) or seeded. */
function inputsFor(m: RunnableModel, o: RunOptions, io: ReadonlyMap<string, RunTensor> | null): RunTensor[] {
  return m.graph.inputs.map((decl, i) => {
    const shape = concreteShape(decl.shape);
    if (io) {
      const t = io.get(`input.${i}`);
      if (!t) throw new Error(`${o.inputs}: no tensor 'input.${i}' for input '${decl.name}'`);
      if (shape && !sameShape(shape, t.shape)) {
        throw new Error(`${o.inputs}: input.${i} has shape [${t.shape.join(', ')}], model input '${decl.name}' needs [${shape.join(', ')}]`);
      }
      return t;
    }
    if (!shape) throw new Error(`input '${decl.name}' of ${m.label} has no static shape; give --input or --inputs`);
    return seededInput(shape, decl.dtype, o.seed, `input.${i}`);
  });
}

const fmtStats = (s: TensorStats): string =>
  `mean ${s.mean.toPrecision(6)}  std ${s.std.toPrecision(6)}  min ${s.min.toPrecision(6)}  max ${s.max.toPrecision(6)}${s.nonFinite ? `  non-finite ${s.nonFinite}` : ''}`;

export async function runCommand(argv: string[]): Promise<number> {
  const parsed = parseRunArgs(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`fusion-lens run: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  const o = parsed;
  try {
    const first = o.file.toLowerCase().endsWith('.onnx') ? [loadOnnxModel(o.file)] : await loadPythonModels(o);
    const models = [...first, ...o.moreOnnx.map(loadOnnxModel)];
    const io = o.inputs ? readSafetensors(new Uint8Array(readFileSync(o.inputs)), o.inputs).tensors : null;
    const { runner, info: backend } = await cliRunner(o.backend, o.threads, bundledWasmDir());
    const results: ModelResult[] = [];
    for (const m of models) {
      const memory = checkRunMemory(m.graph, o.memoryLimit);
      const feeds = inputsFor(m, o, io);
      const session = await runner.createSession(m.bytes, { threads: o.threads });
      try {
        const names = modelInputNames(session.inputNames);
        const out = await session.run({ ...Object.fromEntries(names.map((n, i) => [n, feeds[i]!])), ...summaryGateFeed(session.inputNames, true) });
        results.push({
          label: m.label,
          memory,
          sessionCreateMs: session.sessionCreateMs,
          runMs: session.lastRunMs ?? NaN,
          outputs: m.outputNames.map((name) => ({ name, tensor: out[name]!, stats: tensorStats(out[name]!.data) })),
          layers: m.exposed ? layerStats(m.graph, m.exposed, out) : [],
          ...(m.weights ? { weights: m.weights } : {}),
        });
      } finally {
        await session.dispose();
      }
    }
    if (o.saveOutputs) {
      const r = results[0]!;
      writeFileSync(o.saveOutputs, writeSafetensors(r.outputs.map((x, i) => [`output.${i}`, x.tensor] as const)));
    }
    const comparisons = compareAll(results);
    const changes = weightChangeReport(models);
    if (o.json)
      writeOut(`${JSON.stringify({ ...(toJson(results, comparisons, o) as object), ...(changes.length ? { weightChanges: changes } : {}) }, null, 2)}\n`);
    else writeOut(toText(results, comparisons, backend) + weightChangeText(changes));
    return 0;
  } catch (e) {
    process.stderr.write(`fusion-lens run: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

interface WeightChangeReport {
  readonly a: string;
  readonly b: string;
  readonly parameters: { readonly name: string; readonly relative: number }[];
}

/** Models run from several checkpoints of one graph: per-parameter relative change of each against the first. */
function weightChangeReport(models: readonly RunnableModel[]): WeightChangeReport[] {
  const out: WeightChangeReport[] = [];
  const first = models[0];
  for (const m of models.slice(1)) {
    if (!first?.stateDict || !m.stateDict || m.graph !== first.graph) continue;
    out.push({ a: first.label, b: m.label, parameters: weightChanges(first.stateDict, m.stateDict).map((c) => ({ name: c.name, relative: c.relative })) });
  }
  return out;
}

function weightChangeText(reports: readonly WeightChangeReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`weight change ${r.b} vs ${r.a} (‖b − a‖ / ‖a‖ per parameter, largest first):`);
    const sorted = [...r.parameters].sort((x, y) => y.relative - x.relative);
    for (const p of sorted.slice(0, 20)) lines.push(`  ${p.name.padEnd(40)} ${p.relative.toPrecision(4)}`);
    if (sorted.length > 20) lines.push(`  … ${sorted.length - 20} more`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

interface Comparison {
  readonly a: string;
  readonly b: string;
  readonly output: number;
  readonly maxAbsDiff: number;
  readonly cosine: number;
}

/** Every pair of models, output by output, where the shapes agree. */
function compareAll(results: readonly ModelResult[]): Comparison[] {
  const out: Comparison[] = [];
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) {
      const a = results[i]!;
      const b = results[j]!;
      for (let k = 0; k < Math.min(a.outputs.length, b.outputs.length); k++) {
        const ta = a.outputs[k]!.tensor;
        const tb = b.outputs[k]!.tensor;
        if (!sameShape(ta.shape, tb.shape)) continue;
        const c = compareTensors(ta, tb);
        out.push({ a: a.label, b: b.label, output: k, maxAbsDiff: c.maxAbsDiff, cosine: c.cosine });
      }
    }
  }
  return out;
}

function toText(results: readonly ModelResult[], comparisons: readonly Comparison[], backend: BackendInfo): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`== ${r.label}`);
    if (r.weights) lines.push(`weights: ${r.weights}`);
    lines.push(
      `session create ${r.sessionCreateMs.toFixed(1)} ms, run ${r.runMs.toFixed(1)} ms (${backendText(backend)}); estimated memory ${formatBytes(r.memory.totalBytes)}`,
    );
    for (const x of r.outputs) {
      lines.push(`${x.name}: shape [${x.tensor.shape.join(', ')}] ${x.tensor.dtype}  ${fmtStats(x.stats)}`);
      lines.push(formatTensor(x.tensor));
    }
    if (r.layers.length) {
      lines.push('per-layer statistics:');
      for (const l of r.layers) {
        lines.push(`  ${l.node.padEnd(5)} ${l.op.padEnd(22)} ${(l.where || '-').padEnd(18)} [${l.shape.join(', ')}]  ${fmtStats(l.stats)}`);
      }
    }
    lines.push('');
  }
  for (const c of comparisons) {
    lines.push(`${c.a} vs ${c.b} (output.${c.output}): max-abs-diff ${c.maxAbsDiff.toPrecision(6)}, cosine ${c.cosine.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

function toJson(results: readonly ModelResult[], comparisons: readonly Comparison[], o: RunOptions): unknown {
  return {
    threads: o.threads,
    backend: o.backend,
    seed: o.seed,
    models: results.map((r) => ({
      label: r.label,
      ...(r.weights ? { weights: r.weights } : {}),
      sessionCreateMs: r.sessionCreateMs,
      runMs: r.runMs,
      memoryBytes: r.memory.totalBytes,
      outputs: r.outputs.map((x) => ({ name: x.name, shape: x.tensor.shape, dtype: x.tensor.dtype, ...x.stats, preview: formatTensor(x.tensor) })),
      ...(r.layers.length ? { layers: r.layers.map((l) => ({ value: l.value, node: l.node, op: l.op, where: l.where, shape: l.shape, ...l.stats })) } : {}),
    })),
    comparisons,
  };
}
