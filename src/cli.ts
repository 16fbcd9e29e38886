// The `fusion-lens` command line: dispatches to one module per subcommand.
import { writeOut } from './cli/output';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  shapes: async () => (await import('./cli/shapesCommand')).shapesCommand,
  run: async () => (await import('./cli/runCommand')).runCommand,
  export: async () => (await import('./cli/exportCommand')).exportCommand,
  fusion: async () => (await import('./cli/fusionCommand')).fusionCommand,
  demo: async () => (await import('./cli/demoCommand')).demoCommand,
};

const USAGE = `usage: fusion-lens <command> [options]

commands:
  shapes FILE [--model EXPR] [--input SPEC]... [--input-kind tensor|list|dict] [--json]
  shapes WEIGHTS.pt|.pth|.bin|.safetensors [--json]   the tensors of a checkpoint (read without unpickling)
  fusion FILE [--model EXPR] [--input SPEC]... [--lang en|zh-cn] [--json]
  run FILE|FILE.onnx [--model EXPR]... [--input SPEC]... [--weights F] [--inputs F] [--save-outputs F] [--seed N]
      [--threads N|auto] [--backend wasm|native] [--json]
  demo [FILE]   shapes, fusion points and a compared run of the bundled example (examples/fusion_cnn.py)
  export FILE --model EXPR [--input SPEC]... -o OUT.onnx [--weights F] [--seed N] [--all-values]
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    writeOut(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`fusion-lens: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fusion-lens: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
