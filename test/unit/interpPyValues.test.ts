// Python value semantics at module level: slices, formatting, comparisons, builtins, unpacking, closures, classes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { PythonParser } from '../../src/core/python/pythonParser';
import { loadFile } from '../../src/core/interp/runModel';
import { pyRepr } from '../../src/core/interp/tensorLeaves';
import type { PyValue } from '../../src/core/ops/values';

before(initTestParser);

function globalsOf(src: string): Map<string, PyValue> {
  const mod = new PythonParser().parse(src).module;
  const { scope } = loadFile(
    { file: '/v/g.py', maxSteps: 100000, deadline: performance.now() + 5000, parse: (t) => new PythonParser().parse(t).module, searchRoots: [] },
    mod,
    'g',
  );
  return scope.globals;
}

const CASES: [string, string][] = [
  ['[0, 1, 2, 3, 4, 5][::-2]', '[5, 3, 1]'],
  ['[0, 1, 2, 3, 4, 5][-2:]', '[4, 5]'],
  ['[0, 1, 2, 3, 4, 5][1:-1:2]', '[1, 3]'],
  ['(1, 2, 3)[::-1]', '(3, 2, 1)'],
  ['"layer%d.%s" % (3, "conv")', "'layer3.conv'"],
  ['"%05.2f|%-4s|%x" % (3.14159, "ab", 255)', "'03.14|ab  |ff'"],
  ['"{}-{name}".format(1, name="x")', "'1-x'"],
  ['f"{2 * 3}px"', "'6px'"],
  ['7 // -2, 7 % -2, -7 // 2, 2 ** 10, 7 / 2', '(-4, -1, -4, 1024, 3.5)'],
  ['(1, 2) < (1, 3), [1, 2] == [1, 2], 3 in (1, 2, 3), "a" not in "abc"', '(True, True, True, False)'],
  ['max([3, 9, 4]), min(5, 2, 8), sum([1, 2, 3]), abs(-4), round(2.5), round(3.5)', '(9, 2, 6, 4, 2, 4)'],
  ['sorted([3, 1, 2], reverse=True), list(reversed([1, 2])), list(zip([1, 2], "ab"))', "([3, 2, 1], [2, 1], [(1, 'a'), (2, 'b')])"],
  ['[i * i for i in range(5) if i % 2 == 0]', '[0, 4, 16]'],
  ['{k: v for k, v in zip("ab", [1, 2])}["b"]', '2'],
  ['int("12") + int(3.9), float(2), bool([]), str(None)', "(15, 2.0, False, 'None')"],
  ['isinstance(3, (str, int)), isinstance(True, int), isinstance([], tuple)', '(True, True, False)'],
  ['divmod(17, 5), len({"a": 1, "b": 2}), any([0, 0, 1]), all([])', '((3, 2), 2, True, True)'],
];

test('expressions evaluate like Python', () => {
  const src = CASES.map(([e], i) => `v${i} = ${e}`).join('\n');
  const g = globalsOf(src);
  CASES.forEach(([e, want], i) => assert.equal(pyRepr(g.get(`v${i}`)!), want, e));
});

test('statements: starred unpacking, closures, nonlocal/global, try/except, while/else, classes with class attributes', () => {
  const g = globalsOf(`
first, *mid, last = [1, 2, 3, 4, 5]
counter = 0

def bump():
    global counter
    counter += 1

def make_adder(n):
    def add(x):
        return x + n
    return add

def outer():
    total = 0
    def inc():
        nonlocal total
        total += 5
    inc()
    inc()
    return total

class Cfg:
    width = 8
    depths = [1, 2]

    @classmethod
    def wide(cls):
        return cls.width * 2

    @staticmethod
    def twice(v):
        return 2 * v

bump(); bump()
add3 = make_adder(3)(4)
tot = outer()
try:
    boom = [1][5]
except IndexError:
    boom = -1
n = 0
while n < 3:
    n += 1
else:
    n = n * 10
wide = Cfg.wide() + Cfg.twice(1) + len(Cfg.depths)
`);
  const v = (k: string) => pyRepr(g.get(k)!);
  assert.equal(v('first'), '1');
  assert.equal(v('mid'), '[2, 3, 4]');
  assert.equal(v('last'), '5');
  assert.equal(v('counter'), '2');
  assert.equal(v('add3'), '7');
  assert.equal(v('tot'), '10');
  assert.equal(v('boom'), '-1');
  assert.equal(v('n'), '30');
  assert.equal(v('wide'), '20');
});

test('except clauses catch by exception class, with the builtin hierarchy', () => {
  const g = globalsOf(`
def pick(d, k):
    try:
        return d[k]
    except (TypeError, LookupError):
        return "missing"

def outer():
    try:
        try:
            [][3]
        except KeyError:
            return "wrong"
    except IndexError:
        return "index"

a = pick({"x": 1}, "y")
b = outer()
`);
  assert.equal(pyRepr(g.get('a')!), "'missing'");
  assert.equal(pyRepr(g.get('b')!), "'index'");
});

test('super() follows the MRO of the instance (diamond inheritance)', () => {
  const g = globalsOf(`
class A:
    def f(self):
        return "A"

class B(A):
    def f(self):
        return "B" + super().f()

class C(A):
    def f(self):
        return "C" + super().f()

class D(B, C):
    def f(self):
        return "D" + super().f()

order = D().f()
`);
  assert.equal(pyRepr(g.get('order')!), "'DBCA'");
});
