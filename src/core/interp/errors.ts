// The exceptions the interpreter throws through user code: Python raises, and running out of budget or stack.
import type { Range } from '../python/ast';

/** A Python exception raised by the analysed code (or by a failed operation inside it). */
export class PyRaise extends Error {
  constructor(
    message: string,
    readonly range: Range | null,
    readonly file: string,
    readonly excType = 'Exception',
  ) {
    super(message);
  }
}

export class BudgetExceeded extends Error {}

/** What the user reads when code nests deeper than the analysis's own call stack reaches. */
export const TOO_DEEP = 'this code nests too deeply for the analysis (its call stack ran out); what depends on it is unknown';

/** V8's RangeError for an exhausted call stack (deeply nested expressions, calls or data). */
export function isStackExhausted(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
