// The fast tree reading (fields by position, bounds from children, identifier lengths from the text), through the
// public cursor and through the direct wasm reads, gives the same AST as reading every property of every node.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, type Language } from 'web-tree-sitter';
import { RawTreeReader } from '../../src/core/python/rawTree';
import { directCursorAccess } from '../../src/core/python/pythonParser';
import { toAstTopLevel } from '../../src/core/python/toAst';
import { sourceSeeds } from '../fuzz/fuzzCorpus';
import { initTestParser } from '../support/pythonWasm';

let lang: Language;
before(async () => {
  lang = (await initTestParser()) as Language;
});

/** Constructs whose trees hold extras, operators and positional fields in unusual places. */
const TRICKY = `
import torch, torch.nn as nn  # comment after an import
from . import (a,  # inside parentheses
    b as c)
x = (a  # trailing comment
     + b) \\
    * c
y = a if b else c; z = not a or b and (c <= d < e) is not None
w = f(x, *args, k=1, **kw)[1:2, ::3, None, ...][-1]
v: int = 3
u = [i * 2 for i in range(3) if i] + list({k: v for k, v in d.items()})
t = {"a": 1, **extra}, {1, 2}, (1,), ()
s = f"{x!r:>{w}} and {y}" "tail" r'\\d' b"bytes"
r = lambda q, *a, k=2, **kw: q @ k
x += 1; x //= 2; x **= 3; x >>= 1
del x[0], y
@decorator(arg)
class M(nn.Module, metaclass=Meta):  # class comment
    """Doc."""
    def forward(self, x: torch.Tensor, /, y=None, *, z: int = 3) -> "T":
        # leading comment
        if x is None:
            pass
        elif (y := x.shape[0]) > 1:
            return -x  # trailing
        else:
            x = ~x
        for i, (a, b) in enumerate(zip(p, q)):
            continue
        while True:
            break
        with torch.no_grad() as g, open(f):
            pass
        try:
            raise ValueError("bad")
        except (ValueError, KeyError) as e:
            pass
        except Exception:
            pass
        else:
            pass
        finally:
            pass
        assert x.dim() == 4, f"got {x.dim()}"
        global G
        return x[..., 1:-1:2], \\
            y
`;
import { sharedPath, sharedSkip } from '../support/shared.mjs';

function corpus(): { name: string; text: string }[] {
  const out = [{ name: 'tricky', text: TRICKY }, ...sourceSeeds(false)];
  const oracle = sharedPath('oracle', 'models');
  if (!sharedSkip('oracle', 'models'))
    for (const f of readdirSync(oracle).filter((n) => n.endsWith('.py'))) out.push({ name: f, text: readFileSync(join(oracle, f), 'utf8') });
  return out;
}

test('fast and full tree reading convert to the same AST, statement by statement', () => {
  const parser = new Parser();
  parser.setLanguage(lang);
  let statements = 0;
  for (const { name, text } of corpus()) {
    const tree = parser.parse(text)!;
    const reader = new RawTreeReader(lang, text, null);
    const direct = new RawTreeReader(lang, text, directCursorAccess());
    const c = tree.walk();
    assert.ok(c.gotoFirstChild(), name);
    do {
      if (!c.nodeIsNamed || c.nodeType === 'comment' || c.currentNode.hasError) continue;
      const full = toAstTopLevel(reader.copy(c, true), text);
      const fast = toAstTopLevel(reader.copy(c, false), text);
      assert.deepEqual(fast, full, `${name}: statement at line ${c.startPosition.row + 1}`);
      // The direct walk hands the cursor back where it found it: the public walk after it still agrees.
      assert.deepEqual(toAstTopLevel(direct.copy(c, false), text), full, `${name}: direct reading, line ${c.startPosition.row + 1}`);
      statements++;
    } while (c.gotoNextSibling());
    c.delete();
    tree.delete();
  }
  parser.delete();
  assert.ok(statements > 200, `only ${statements} statements compared`);
});

test('the pinned web-tree-sitter passes the direct-read probe (a failed probe would only slow reading down)', () => {
  assert.notEqual(directCursorAccess(), null);
});

test('fast reading keeps what tree-sitter reports for the tricky constructs', () => {
  const parser = new Parser();
  parser.setLanguage(lang);
  const tree = parser.parse(TRICKY)!;
  assert.equal(tree.rootNode.hasError, false, 'the tricky sample must parse without errors');
  tree.delete();
  parser.delete();
});
