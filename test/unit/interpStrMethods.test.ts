// str methods against values recorded from CPython 3 (the generator: test/fixtures/python/str_methods.py).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTestParser } from '../support/pythonWasm';
import { PythonParser } from '../../src/core/python/pythonParser';
import { loadFile } from '../../src/core/interp/runModel';
import { pyRepr } from '../../src/core/interp/tensorLeaves';

before(initTestParser);

/** [expression, repr() of its value in CPython]. */
const CASES: [string, string][] = [
  ["'hf-hub:timm/x'.partition(':')", "('hf-hub', ':', 'timm/x')"],
  ["'resnet50'.partition(':')", "('resnet50', '', '')"],
  ["'a.b.c'.rpartition('.')", "('a.b', '.', 'c')"],
  ["'abc'.rpartition('.')", "('', '', 'abc')"],
  ["'  a  b c '.split()", "['a', 'b', 'c']"],
  ["'a,b,,c'.split(',')", "['a', 'b', '', 'c']"],
  ["'a b c d'.split(None, 2)", "['a', 'b', 'c d']"],
  ["'a.b.c.d'.rsplit('.', 1)", "['a.b.c', 'd']"],
  ["'  a b  c '.rsplit(None, 1)", "['  a b', 'c']"],
  ["'xxhixx'.strip('x')", "'hi'"],
  ["'  hi\\n'.rstrip()", "'  hi'"],
  ["'--a--'.lstrip('-')", "'a--'"],
  ["'model.v2'.startswith(('x', 'mod'))", 'True'],
  ["'abc'.endswith('bc', 0, 3)", 'True'],
  ["'abcabc'.find('c', 3)", '5'],
  ["'abcabc'.rfind('b')", '4'],
  ["'abc'.find('z')", '-1'],
  ["'a-b-c'.count('-')", '2'],
  ["'aaa'.replace('a', 'b', 2)", "'bba'"],
  ["'hello world'.title()", "'Hello World'"],
  ["'hELLO'.capitalize()", "'Hello'"],
  ["'Ab'.swapcase()", "'aB'"],
  ["'42'.zfill(5)", "'00042'"],
  ["'-42'.zfill(5)", "'-0042'"],
  ["'ab'.center(7, '*')", "'***ab**'"],
  ["'ab'.center(6)", "'  ab  '"],
  ["'abc'.center(6)", "' abc  '"],
  ["'ab'.ljust(4, '.')", "'ab..'"],
  ["'ab'.rjust(4)", "'  ab'"],
  ["'a\\nb\\r\\nc'.splitlines()", "['a', 'b', 'c']"],
  ["[len(x) for x in 'a\\nb\\n'.splitlines(True)]", '[2, 2]'],
  ["'x_1'.isidentifier()", 'True'],
  ["'ABC'.isupper()", 'True'],
  ["'abc1'.isalnum()", 'True'],
  ["'test_vit.augreg'.removeprefix('test_')", "'vit.augreg'"],
  ["'file.py'.removesuffix('.py')", "'file'"],
  ["' '.isspace()", 'True'],
  ["'12'.isdigit()", 'True'],
  ["'abc'.index('c')", '2'],
];

test('str methods give what CPython gives', () => {
  const src = CASES.map(([e], i) => `v${i} = ${e}`).join('\n');
  const parse = (t: string) => new PythonParser().parse(t).module;
  const { scope, ip } = loadFile({ file: '/s/str.py', maxSteps: 100000, deadline: performance.now() + 5000, parse, searchRoots: [] }, parse(src), 's');
  assert.deepEqual(ip.rec.diagnostics, []);
  CASES.forEach(([e, want], i) => assert.equal(pyRepr(scope.globals.get(`v${i}`)!), want, e));
});
