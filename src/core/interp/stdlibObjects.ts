// dataclasses, inspect and types as library code uses them (fields, asdict/replace, signature parameters, SimpleNamespace).
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, instanceOf, obj, unknown, type UserFunction } from './objects';
import { builtin } from './builtins';
import { pyBool, pyInt, pyStr } from './pyOps';
import { dictKey } from './tensorLeaves';
import { attrObject, dictOf } from './stdlibState';
import { MISSING, dataclassFieldsOf, fieldObject, makeField } from './pyDataclass';

const opaque = (what: string): PyValue => obj({ t: 'opaque', what }, what);

/** A decorator usable bare (`@lru_cache`) or called (`@lru_cache(maxsize=None)`): either way the function is kept. */
export function decoratorFactory(name: string): PyValue {
  return builtin(name, (a) => {
    const first = a[0];
    if (first && first.kind === 'object' && ['function', 'method', 'type'].includes(first.typeName)) return first;
    return builtin(name, (b) => b[0] ?? NONE);
  });
}

/** The field names of a dataclass instance (not of the class: asdict/astuple/replace take instances). */
function dataclassFields(v: PyValue): string[] | null {
  const fields = instanceOf(v) ? dataclassFieldsOf(v) : null;
  return fields ? fields.map((f) => f.name) : null;
}

function asDict(ip: Evaluator, v: PyValue, r: Range | null): PyValue {
  const fields = dataclassFields(v);
  if (fields)
    return dictOf(
      ip,
      fields.map((f) => [pyStr(f), asDict(ip, ip.getAttr(v, f, r), r)]),
    );
  if (v.kind === 'list') return { kind: 'list', items: v.items.map((x) => asDict(ip, x, r)) };
  if (v.kind === 'tuple') return { ...v, items: v.items.map((x) => asDict(ip, x, r)) };
  if (v.kind === 'dict')
    return dictOf(
      ip,
      v.keys.map((k) => [k, asDict(ip, v.entries.get(dictKey(k))!, r)]),
    );
  return v;
}

export function dataclassesAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  switch (name) {
    case 'field':
      return builtin(name, (_a, k) => makeField(k));
    case 'asdict':
      return builtin(name, (a) => asDict(ip, a[0] ?? NONE, r));
    case 'astuple':
      return builtin(name, (a) => {
        const fields = dataclassFields(a[0] ?? NONE);
        return fields ? { kind: 'tuple', items: fields.map((f) => ip.getAttr(a[0]!, f, r)) } : unknown('astuple of a non-dataclass');
      });
    case 'replace':
      return builtin(name, (a, k) => {
        const self = a[0] ?? NONE;
        const fields = instanceOf(self) ? dataclassFieldsOf(self) : null;
        const inst = instanceOf(self);
        if (!fields || !inst) return unknown('replace of a non-dataclass');
        // Fields with init=False are not passed: the new instance's __init__ sets them from their defaults.
        const kwargs = new Map(fields.filter((f) => f.init).map((f) => [f.name, k.get(f.name) ?? ip.getAttr(self, f.name, r)] as [string, PyValue]));
        return ip.call(obj({ t: 'class', cls: inst.cls }, 'type'), [], kwargs, r);
      });
    case 'fields':
      return builtin(name, (a) => {
        const fields = dataclassFieldsOf(a[0] ?? NONE);
        return fields ? { kind: 'tuple', items: fields.map(fieldObject) } : unknown('fields of a non-dataclass');
      });
    case 'is_dataclass':
      return builtin(name, (a) => pyBool(dataclassFieldsOf(a[0] ?? NONE) !== null));
    case 'MISSING':
      return MISSING;
    case 'InitVar':
    case 'KW_ONLY':
      return opaque('typing');
  }
  return decoratorFactory(name);
}

function userFunctionOf(v: PyValue): UserFunction | null {
  const o = asObject(v);
  if (!o) return null;
  if (o.t === 'func') return o.fn;
  if (o.t === 'bound' || o.t === 'staticmethod' || o.t === 'classmethod') return userFunctionOf(o.fn);
  if (o.t === 'class' && o.cls.t === 'user') {
    for (const c of o.cls.cls.mro) {
      if (c.t !== 'user') continue;
      const init = c.cls.ns.get('__init__');
      if (init) return userFunctionOf(init);
    }
  }
  return null;
}

const PARAM_KINDS = ['POSITIONAL_ONLY', 'POSITIONAL_OR_KEYWORD', 'VAR_POSITIONAL', 'KEYWORD_ONLY', 'VAR_KEYWORD'];

const EMPTY = opaque('inspect._empty');

/** Class attributes of inspect.Parameter, readable on its instances too (`param.kind == param.KEYWORD_ONLY`). */
const PARAMETER_CONSTS = (): [string, PyValue][] => [['empty', EMPTY], ...PARAM_KINDS.map((k, i) => [k, pyInt(i)] as [string, PyValue])];

function signatureOf(ip: Evaluator, f: PyValue): PyValue {
  const fn = userFunctionOf(f);
  if (!fn) return unknown('signature of a function the analysis cannot see');
  const o = asObject(f);
  // Bound methods and classes drop the first parameter (self).
  const skip = o && (o.t === 'bound' || o.t === 'class') ? 1 : 0;
  const params = fn.params.slice(skip);
  const entries: [PyValue, PyValue][] = params.map((p) => {
    const kind = p.kind === 'star' ? 2 : p.kind === 'dstar' ? 4 : p.keywordOnly ? 3 : 1;
    return [
      pyStr(p.name),
      attrObject('inspect.Parameter', [
        ['name', pyStr(p.name)],
        ['default', fn.defaults.get(p.name) ?? EMPTY],
        ['kind', pyInt(kind)],
        ['annotation', EMPTY],
        ...PARAMETER_CONSTS(),
      ]),
    ];
  });
  return attrObject('inspect.Signature', [
    ['parameters', dictOf(ip, entries)],
    ['return_annotation', EMPTY],
  ]);
}

export function inspectAttr(ip: Evaluator, name: string, _r: Range | null): PyValue | null {
  const is = (test: (o: ReturnType<typeof asObject>, v: PyValue) => boolean) => builtin(name, (a) => pyBool(test(asObject(a[0] ?? NONE), a[0] ?? NONE)));
  switch (name) {
    case 'isfunction':
      return is((o) => !!o && o.t === 'func');
    case 'ismethod':
      return is((o) => !!o && o.t === 'bound');
    case 'isclass':
      return is((o, v) => (!!o && o.t === 'class') || (!!o && o.t === 'builtin' && v.kind === 'object' && v.typeName === 'type'));
    case 'isbuiltin':
      return is((o) => !!o && (o.t === 'builtin' || o.t === 'op'));
    case 'isroutine':
      return is((o) => !!o && ['func', 'bound', 'builtin', 'op'].includes(o.t));
    case 'ismodule':
      return is((o) => !!o && (o.t === 'pymodule' || o.t === 'namespace'));
    case 'isabstract':
    case 'isgeneratorfunction':
    case 'iscoroutinefunction':
      return is(() => false);
    case 'signature':
      return builtin(name, (a) => signatureOf(ip, a[0] ?? NONE));
    case 'getfullargspec':
    case 'getargspec':
      return builtin(name, (a) => {
        const fn = userFunctionOf(a[0] ?? NONE);
        if (!fn) return unknown('getfullargspec of a function the analysis cannot see');
        const args = fn.params.filter((p) => p.kind === 'normal' && !p.keywordOnly).map((p) => pyStr(p.name));
        const varargs = fn.params.find((p) => p.kind === 'star');
        const varkw = fn.params.find((p) => p.kind === 'dstar');
        const defaults = fn.params.filter((p) => p.kind === 'normal' && !p.keywordOnly && fn.defaults.has(p.name)).map((p) => fn.defaults.get(p.name)!);
        return attrObject('inspect.FullArgSpec', [
          ['args', { kind: 'list', items: args }],
          ['varargs', varargs ? pyStr(varargs.name) : NONE],
          ['varkw', varkw ? pyStr(varkw.name) : NONE],
          ['defaults', defaults.length ? { kind: 'tuple', items: defaults } : NONE],
          ['kwonlyargs', { kind: 'list', items: fn.params.filter((p) => p.keywordOnly && p.kind === 'normal').map((p) => pyStr(p.name)) }],
        ]);
      });
    case 'Parameter':
      return attrObject('inspect.Parameter', PARAMETER_CONSTS());
    case '_empty':
    case 'Signature':
      return EMPTY;
  }
  return null;
}

export function typesAttr(ip: Evaluator, name: string): PyValue | null {
  switch (name) {
    case 'SimpleNamespace':
      return builtin(name, (_a, k) => attrObject('types.SimpleNamespace', [...k]));
    case 'MappingProxyType':
      return builtin(name, (a) => a[0] ?? NONE);
    case 'ModuleType':
      return builtin(name, (a) => attrObject('module', [['__name__', a[0] ?? pyStr('')]]));
  }
  void ip;
  return null;
}
