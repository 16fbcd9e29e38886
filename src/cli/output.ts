// Output helpers for the CLI: synchronous, complete writes so piped output is never cut short.
import { writeSync } from 'node:fs';

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
