// The `fusion-lens` command line: dispatches to one module per subcommand.
import { writeSync } from 'node:fs';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  shapes: async () => (await import('./cli/shapesCommand')).shapesCommand,
};

const USAGE = `usage: fusion-lens <command> [options]

commands:
  shapes FILE [--model EXPR] [--input SPEC]... [--input-kind tensor|list|dict] [--json]
`;

/** Writes all of `text` to stdout synchronously, so piped output is never cut short by process exit. */
export function writeOut(text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}

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
    process.stderr.write(`fusion-lens: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
