// Command-line arguments of `fusion-lens shapes`.
import { parseInputSpec, type InputKind, type InputSpec } from '../core/interp/inputSpec';
import { IMPORT_USAGE, noImportOptions, takeImportFlag, type ImportOptions } from './importSources';

export interface ShapesArgs {
  readonly file: string;
  readonly model: string | null;
  readonly inputs: InputSpec[];
  readonly inputKind: InputKind;
  readonly json: boolean;
  /** Values of symbolic dims used in --input specs (`--dim B=4`). */
  readonly symbols: Record<string, number>;
  readonly timeMs: number;
  /** --python-path / --python-env. */
  readonly imports: ImportOptions;
}

export const SHAPES_USAGE = `usage: fusion-lens shapes FILE [--model EXPR] [--input SPEC]... [--input-kind tensor|list|dict] [--dim NAME=N]... [--json]
                          [--python-path DIR]... [--python-env PREFIX]

  FILE            a Python file with nn.Module classes, an .onnx file, or a weights file (.pt/.pth/.bin/.ckpt
                  torch.save checkpoint, read without unpickling, or .safetensors): lists its tensors
  --model EXPR    a Python expression in FILE's scope that builds the model, e.g. "UNet(base=4)";
                  default: every nn.Module class of FILE that can be built without arguments
  --input SPEC    [NAME=]D0xD1x…[:DTYPE], e.g. 4x3x256x256, tokens=2x12:int64, Bx3xHxW (with --dim);
                  repeat for several inputs in forward's order
  --input-kind K  tensor (one argument per input, default), list or dict (all inputs in one argument)
  --dim NAME=N    value of a symbolic dimension used in --input (e.g. --dim B=4 --dim H=256)
  --json          JSON instead of a table: one model's record with --model, else {"models": {CLASS: record}}
${IMPORT_USAGE}
`;

/** Parses argv (after the command name); returns an error message for bad usage. */
export function parseShapesArgs(argv: readonly string[]): ShapesArgs | string {
  let file: string | null = null;
  let model: string | null = null;
  const inputs: InputSpec[] = [];
  let inputKind: InputKind = 'args';
  let json = false;
  let timeMs = 10000;
  const symbols: Record<string, number> = {};
  const imports = noImportOptions();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string | null => (i + 1 < argv.length ? argv[++i] : null);
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    const value = () => inline ?? next();
    const imp = takeImportFlag(imports, flag, value);
    if (typeof imp === 'string') return imp;
    if (imp) continue;
    switch (flag) {
      case '--model': {
        const v = value();
        if (!v) return '--model needs an expression';
        model = v;
        break;
      }
      case '--input': {
        const v = value();
        if (!v) return '--input needs a SPEC';
        const s = parseInputSpec(v);
        if (typeof s === 'string') return s;
        inputs.push(s);
        break;
      }
      case '--input-kind': {
        const v = value();
        if (v === 'tensor' || v === 'args') inputKind = 'args';
        else if (v === 'list' || v === 'dict') inputKind = v;
        else return `--input-kind must be tensor, list or dict (got ${v ?? 'nothing'})`;
        break;
      }
      case '--dim': {
        const v = value();
        const m = v ? /^([A-Za-z_]\w*)=(\d+)$/.exec(v) : null;
        if (!m) return '--dim needs NAME=N';
        symbols[m[1]] = Number(m[2]);
        break;
      }
      case '--time-ms': {
        const v = Number(value());
        if (!Number.isFinite(v) || v <= 0) return '--time-ms needs a positive number';
        timeMs = v;
        break;
      }
      case '--json':
        json = true;
        break;
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (file) return `unexpected argument ${a}`;
        file = a;
    }
  }
  if (!file) return 'missing FILE';
  return { file, model, inputs, inputKind, json, symbols, timeMs, imports };
}
