// `fusion-lens export`: a Python model (interpreted, with loaded or seeded weights) written as a standalone ONNX file.
import { writeFileSync } from 'node:fs';
import { exportOnnx, OnnxExportError } from '../core/onnx/encodeOnnx';
import { writeOut } from './output';
import type { InputKind } from '../core/interp/inputSpec';
import { IMPORT_USAGE, noImportOptions, takeImportFlag, type ImportOptions } from './importSources';
import { analyzeModels, parseInputKind, weightsFor } from './runCommand';

const USAGE = `usage: fusion-lens export FILE --model EXPR [--input SPEC]... -o OUT.onnx [--weights F] [--weights-entry PATH] [--seed N] [--all-values]
                           [--input-kind tensor|list|dict] [--python-path DIR]... [--python-env PREFIX]
  --input-kind   tensor (one argument per input, default), list or dict (all inputs in one argument)
  --weights      state_dict to embed: .safetensors or a torch.save checkpoint (.pt/.pth/.bin, read without unpickling)
                 (default: PyTorch-default init from --seed, default 0)
  --weights-entry  the state dict of a checkpoint that holds several (e.g. model, ema)
  --all-values   also expose every intermediate tensor as a graph output (value.<id>), for per-layer statistics
${IMPORT_USAGE}`;

interface ExportArgs {
  file: string;
  model: string;
  inputs: string[];
  out: string;
  weights: string | null;
  weightsEntry?: string;
  seed: number;
  allValues: boolean;
  inputKind: InputKind;
  imports: ImportOptions;
}

export function parseExportArgs(argv: readonly string[]): ExportArgs | string {
  let file: string | null = null;
  let model: string | null = null;
  let out: string | null = null;
  let weights: string | null = null;
  let weightsEntry: string | undefined;
  let seed = 0;
  let allValues = false;
  const inputs: string[] = [];
  let inputKind: InputKind = 'args';
  const imports = noImportOptions();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | null => argv[++i] ?? null;
    const imp = takeImportFlag(imports, a, value);
    if (typeof imp === 'string') return imp;
    if (imp) continue;
    switch (a) {
      case '--input-kind': {
        const k = parseInputKind(value());
        if (!k) return `--input-kind must be tensor, list or dict (got ${argv[i] ?? 'nothing'})`;
        inputKind = k;
        break;
      }
      case '--model':
        model = value();
        if (!model) return '--model needs an expression';
        break;
      case '--input': {
        const v = value();
        if (!v) return '--input needs a SPEC';
        inputs.push(v);
        break;
      }
      case '-o':
      case '--output':
        out = value();
        if (!out) return '-o needs a file name';
        break;
      case '--weights':
        weights = value();
        if (!weights) return '--weights needs a file';
        break;
      case '--weights-entry':
        weightsEntry = value() ?? undefined;
        if (!weightsEntry) return '--weights-entry needs a path';
        break;
      case '--seed': {
        const v = Number(value());
        if (!Number.isSafeInteger(v) || v < 0) return '--seed needs a non-negative integer';
        seed = v;
        break;
      }
      case '--all-values':
        allValues = true;
        break;
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (file) return `unexpected argument ${a}`;
        file = a;
    }
  }
  if (!file) return 'missing FILE';
  if (!model) return 'missing --model EXPR';
  if (!out) return 'missing -o OUT.onnx';
  return { file, model, inputs, out, weights, seed, allValues, inputKind, imports, ...(weightsEntry ? { weightsEntry } : {}) };
}

export async function exportCommand(argv: string[]): Promise<number> {
  const args = parseExportArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`fusion-lens export: ${args}\n${USAGE}\n`);
    return 2;
  }
  try {
    const [graph] = await analyzeModels(args.file, [args.model], args.inputs, { inputKind: args.inputKind, imports: args.imports });
    const g = graph!;
    const extra = args.allValues ? g.nodes.flatMap((n) => n.outputs) : [];
    const m = exportOnnx(g, { weights: weightsFor(g, args.weights, args.seed, args.weightsEntry), extraOutputs: extra });
    writeFileSync(args.out, m.bytes);
    writeOut(
      `${args.out}: ${g.expr}, ${m.nodeCount} ONNX nodes, opset 17, ${m.bytes.length} bytes; inputs ${m.inputNames.join(', ')}; outputs ${m.outputNames.join(', ')}${m.extraOutputs.size ? ` (+${m.extraOutputs.size} intermediate)` : ''}\n`,
    );
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`fusion-lens export: ${msg}\n`);
    return e instanceof OnnxExportError ? 3 : 1;
  }
}
