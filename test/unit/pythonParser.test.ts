// Parser adapter: typed AST for the constructs the interpreter reads, and syntax errors at their location.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { PythonParser } from '../../src/core/python/pythonParser';
import { initTestParser } from '../support/pythonWasm';

before(initTestParser);

test('statements and expressions become typed nodes', () => {
  const src = [
    'import torch.nn as nn',
    'from ..pkg.mod import A as B, C',
    'x: int = 3',
    'a = b = f(*xs, k=1, **kw)[1:, ::2, None]',
    'y += 2',
    'class M(nn.Module):',
    '    @staticmethod',
    '    def g(self, a: int = 1, *args, b, c=2, **kwargs) -> None:',
    '        return [i for i in range(3) if i], lambda q: q',
    'if a: pass',
    'elif b: pass',
    'else: pass',
  ].join('\n');
  const { module } = new PythonParser().parse(src);
  assert.deepEqual(module.syntaxErrors, []);
  const kinds = module.body.map((s) => s.k);
  assert.deepEqual(kinds, ['import', 'importfrom', 'annassign', 'assign', 'augassign', 'class', 'if']);
  const imp = module.body[1];
  assert.ok(imp.k === 'importfrom' && imp.level === 2 && imp.module === 'pkg.mod' && imp.names[0].asname === 'B');
  const asg = module.body[3];
  assert.ok(asg.k === 'assign' && asg.targets.length === 2);
  assert.ok(asg.value.k === 'sub' && asg.value.index.k === 'tuple' && asg.value.index.elts.length === 3);
  const sl = asg.value.index.elts[1];
  assert.ok(sl.k === 'slice' && sl.lower === null && sl.upper === null && sl.step?.k === 'int');
  const call = asg.value.obj;
  assert.ok(call.k === 'call' && call.args.map((a) => a.kind).join() === 'star,kw,dstar');
  const cls = module.body[5];
  assert.ok(cls.k === 'class' && !cls.broken);
  const def = cls.body[0];
  assert.ok(def.k === 'def' && def.defLine === 7 && def.decorators.length === 1);
  assert.deepEqual(
    def.params.map((p) => `${p.name}:${p.kind}:${p.keywordOnly}:${p.default ? 'd' : ''}`),
    ['self:normal:false:', 'a:normal:false:d', 'args:star:false:', 'b:normal:true:', 'c:normal:true:d', 'kwargs:dstar:false:'],
  );
  const ifs = module.body[6];
  assert.ok(ifs.k === 'if' && ifs.orelse[0].k === 'if' && ifs.orelse[0].orelse[0].k === 'pass');
});

test('a syntax error is reported where it is and other classes still parse', () => {
  const src = ['class A:', '    x = (1,', '', 'class B:', '    y = 2', ''].join('\n');
  const { module } = new PythonParser().parse(src);
  assert.ok(module.syntaxErrors.length > 0);
  assert.equal(module.syntaxErrors[0].range.startLine <= 1, true);
  const ok = ['class C:', '    def f(self):', '        return 1 +', 'class D:', '    z = 3'].join('\n');
  const m2 = new PythonParser().parse(ok).module;
  const classes = m2.body.filter((s) => s.k === 'class');
  const d = classes.find((c) => c.k === 'class' && c.name === 'D');
  assert.ok(d && d.k === 'class' && !d.broken);
  const c = classes.find((c) => c.k === 'class' && c.name === 'C');
  assert.ok(c && c.k === 'class' && c.broken);
});

test('comparison chains, f-strings and incremental re-parse', () => {
  const p = new PythonParser();
  const src = 'r = a is not b < c not in d\ns = f"v{x!r}" "z"\n';
  const m = p.parse(src).module;
  const r = m.body[0];
  assert.ok(r.k === 'assign' && r.value.k === 'compare');
  assert.deepEqual(r.value.k === 'compare' && r.value.ops, ['is not', '<', 'not in']);
  const s = m.body[1];
  assert.ok(s.k === 'assign' && s.value.k === 'fstr' && s.value.parts.length === 3);
  const text2 = src.replace('d\n', 'dd\n');
  const m2 = p.parse(text2, {
    startIndex: 25,
    oldEndIndex: 26,
    newEndIndex: 27,
    startPosition: { row: 0, column: 25 },
    oldEndPosition: { row: 0, column: 26 },
    newEndPosition: { row: 0, column: 27 },
  }).module;
  const r2 = m2.body[0];
  assert.ok(r2.k === 'assign' && r2.value.k === 'compare' && r2.value.rights[2].k === 'name' && r2.value.rights[2].id === 'dd');
});

test('statements that only moved are reused and shifted, not re-read', () => {
  const p = new PythonParser();
  const src = 'import torch\n\nclass A:\n    def f(self, x):\n        return x\n\nclass B:\n    pass\n';
  const m1 = p.parse(src).module;
  const a1 = m1.body.find((s) => s.k === 'class' && s.name === 'A');
  const m2 = p.parse(`# new line\n# another\n${src}`).module;
  const a2 = m2.body.find((s) => s.k === 'class' && s.name === 'A');
  assert.equal(a2, a1);
  assert.ok(a2 && a2.k === 'class');
  assert.equal(a2.r.startLine, 4);
  const f = a2.body[0];
  assert.ok(f.k === 'def' && f.defLine === 5 && f.nameRange.startLine === 5 && f.body[0].r.startLine === 6);
  // Two identical statements in one file are two nodes.
  const m3 = p.parse('x = 1\nx = 1\n').module;
  assert.notEqual(m3.body[0], m3.body[1]);
  assert.deepEqual(
    m3.body.map((s) => s.r.startLine),
    [0, 1],
  );
});

test('a moved statement with a multi-item subscript has every range on its new line', () => {
  const p = new PythonParser();
  const src = 'y = x[:, :, None, 0]\n';
  p.parse(src);
  const m = p.parse(`# one\n# two\n# three\n${src}`).module;
  const s = m.body[0];
  assert.ok(s && s.k === 'assign' && s.value.k === 'sub' && s.value.index.k === 'tuple');
  assert.equal(s.r.startLine, 3);
  assert.equal(s.value.r.startLine, 3);
  assert.equal(s.value.index.r.startLine, 3);
  assert.ok(s.value.index.elts.every((e) => e.r.startLine === 3));
});
