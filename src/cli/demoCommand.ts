// `fusion-lens demo [FILE]`: the main job on the bundled example — shapes, fusion points, and both models run and compared.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeOut } from './output';
import { shapesCommand } from './shapesCommand';
import { fusionCommand } from './fusionCommand';
import { runCommand } from './runCommand';

/** examples/fusion_cnn.py of the package this CLI was bundled in (dist/cli.js → ../examples). */
function bundledExample(): string | null {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const root of [join(here, '..'), here, process.cwd()]) {
    const f = join(root, 'examples', 'fusion_cnn.py');
    if (existsSync(f)) return f;
  }
  return null;
}

function heading(text: string): void {
  writeOut(`\n${'═'.repeat(text.length + 4)}\n  ${text}\n${'═'.repeat(text.length + 4)}\n`);
}

export async function demoCommand(argv: string[]): Promise<number> {
  const file = argv[0] ? resolve(argv[0]) : bundledExample();
  if (!file || !existsSync(file)) {
    process.stderr.write(`fusion-lens demo: no model file (looked for examples/fusion_cnn.py)\n`);
    return 2;
  }
  writeOut(`Fusion Lens demo on ${file}\n(static analysis of the Python source — no Python or PyTorch is run)\n`);
  heading('1. Shapes of every model in the file');
  const shapes = await shapesCommand([file]);
  heading('2. Fusion points');
  const fusion = await fusionCommand([file]);
  heading('3. Forward passes in onnxruntime-web, same seeded input, outputs compared');
  const run = await runCommand([file, '--seed', '0']);
  return Math.max(shapes, fusion, run);
}
