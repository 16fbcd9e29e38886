// Items and operators: subscripts and slices, item assignment, binary/augmented/comparison operators, iteration and len().
import type { Range } from '../python/ast';
import { functionOp } from '../ops/registry';
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { userOverride } from './dataModel';
import { missingDictItem } from './stdlibState';
import { PyRaise } from './errors';
import { asObject, instanceOf, obj, unknown, type Tensor } from './objects';
import { pyBinary, pyBool, pyContains, pyEquals, pyInt, pyIs, pyOrder, pyStr, pyStrOf, truthy } from './pyOps';
import { dictKey } from './tensorLeaves';
import { instanceGetAttr } from './moduleRuntime';
import { moduleGetItem, moduleIter, moduleLen, moduleSetItem } from './moduleContainers';
import { rowValues } from './tensorConsts';
import { setItems, setMethod } from './pySet';
import { NO_KWARGS } from './expressions';
import { enumGetItem, enumIter, flagBinary, flagContains } from './stdlibEnum';

const BIN_KEYS: Record<string, string> = {
  '+': 'op.add',
  '-': 'op.sub',
  '*': 'op.mul',
  '/': 'op.truediv',
  '//': 'op.floordiv',
  '%': 'op.mod',
  '**': 'op.pow',
  '@': 'op.matmul',
  '&': 'op.and_',
  '|': 'op.or_',
  '^': 'op.xor',
  '<<': 'op.lshift',
  '>>': 'op.rshift',
};
const INPLACE_KEYS: Record<string, string> = {
  '+': 'op.iadd',
  '-': 'op.isub',
  '*': 'op.imul',
  '/': 'op.itruediv',
  '//': 'op.ifloordiv',
  '%': 'op.imod',
  '**': 'op.ipow',
  '@': 'op.imatmul',
  '&': 'op.iand',
  '|': 'op.ior',
  '^': 'op.ixor',
};
const CMP_KEYS: Record<string, string> = { '<': 'op.lt', '<=': 'op.le', '>': 'op.gt', '>=': 'op.ge', '==': 'op.eq', '!=': 'op.ne' };

export function getItem(ev: Evaluator, v: PyValue, index: PyValue, r: Range | null): PyValue {
  switch (v.kind) {
    case 'unknown':
      return v;
    case 'tensor': {
      const out = ev.callOpKey(functionOp('op.getitem') ? 'op.getitem' : 'Tensor.__getitem__', [v, index], new Map(), r);
      const row = rowValues(ev.facts.valuesOf(v as Tensor), (v as Tensor).shape, index);
      if (row && out.kind === 'tensor') ev.facts.setValues(out as Tensor, row);
      return out;
    }
    case 'tuple':
    case 'list':
    case 'str': {
      const len = v.kind === 'str' ? v.value.length : v.items.length;
      if (index.kind === 'slice') {
        const sl = sliceIndices(ev, index, len);
        if (!sl) return unknown('slice with unknown bounds');
        if (v.kind === 'str') return pyStr(sl.map((i) => v.value[i]).join(''));
        const items = sl.map((i) => v.items[i]);
        return v.kind === 'list' ? { kind: 'list', items } : { kind: 'tuple', items, ...(v.isSize ? { isSize: true } : {}) };
      }
      const i = index.kind === 'int' ? index.dim.value : index.kind === 'bool' ? Number(index.value) : null;
      if (i === null) {
        if (index.kind === 'int' || index.kind === 'unknown') return unknown('index not known');
        return ev.unsupported(`indexing a ${v.kind} with ${index.kind}`, r);
      }
      const j = i < 0 ? len + i : i;
      // Raised, not reported: a try/except may expect it; uncaught, it becomes the diagnostic of the run.
      if (j < 0 || j >= len) throw new PyRaise(`index ${i} is out of range for a ${v.kind} of length ${len}`, r, ev.currentFile, 'IndexError');
      return v.kind === 'str' ? pyStr(v.value[j]) : v.items[j];
    }
    case 'dict': {
      const got = v.entries.get(dictKey(index));
      if (got) return got;
      if (index.kind === 'unknown') return unknown('dict key not known');
      const missing = missingDictItem(ev, v, index, r);
      if (missing) return missing;
      throw new PyRaise(`key ${pyStrOf(index)} is not in the dict`, r, ev.currentFile, 'KeyError');
    }
    case 'object': {
      const o = asObject(v);
      if (o?.t === 'instance') return moduleGetItem(ev, o.inst, index, r);
      if (o?.t === 'builtin' && (v.typeName === 'type' || o.name.startsWith('abc.'))) return v; // List[int], Sequence[Tensor]: the type itself
      const member = o?.t === 'class' ? enumGetItem(ev, v, index, r) : null;
      if (member) return member;
      if (o?.t === 'class' || o?.t === 'namespace' || o?.t === 'opaque') return obj({ t: 'opaque', what: 'typing construct' }, 'typing');
      if (v.typeName === 'typing') return v;
      return ev.unsupported(`subscript of ${v.typeName}`, r);
    }
    default:
      return ev.unsupported(`subscript of ${v.kind}`, r);
  }
}

export function sliceIndices(ev: Evaluator, s: Extract<PyValue, { kind: 'slice' }>, len: number): number[] | null {
  const n = (x: PyValue): number | null | undefined => (x.kind === 'none' ? undefined : x.kind === 'int' ? x.dim.value : null);
  const st = n(s.step);
  const step = st === undefined ? 1 : st;
  const start0 = n(s.start);
  const stop0 = n(s.stop);
  if (step === null || start0 === null || stop0 === null || step === 0) return null;
  const norm = (x: number, lo: number, hi: number) => {
    if (x < 0) x += len;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const a = start0 === undefined ? 0 : norm(start0, 0, len);
    const b = stop0 === undefined ? len : norm(stop0, 0, len);
    for (let i = a; i < b; i += step) out.push(i);
  } else {
    const a = start0 === undefined ? len - 1 : norm(start0, -1, len - 1);
    const b = stop0 === undefined ? -1 : norm(stop0, -1, len - 1);
    for (let i = a; i > b; i += step) out.push(i);
  }
  return out;
}

export function setItem(ev: Evaluator, target: PyValue, index: PyValue, v: PyValue, r: Range | null): void {
  if (target.kind === 'list') {
    if (index.kind === 'slice') return setListSlice(ev, target, index, v, r);
    const i = index.kind === 'int' || index.kind === 'bool' ? (index.kind === 'bool' ? Number(index.value) : index.dim.value) : null;
    if (i === null) {
      if (index.kind !== 'unknown') ev.diag('warning', 'unsupported', 'list item assignment with an index not known at analysis time', r);
      return;
    }
    const j = i < 0 ? target.items.length + i : i;
    if (j < 0 || j >= target.items.length) throw new PyRaise(`list assignment index ${i} out of range`, r, ev.currentFile, 'IndexError');
    target.items[j] = v;
    return;
  }
  if (target.kind === 'dict') {
    ev.dictSet(target.entries, target.keys, index, v);
    return;
  }
  const o = asObject(target);
  if (o?.t === 'instance') {
    const own = userOverride(ev, o.inst, '__setitem__');
    if (own) ev.call(own, [index, v], new Map(), r);
    else moduleSetItem(ev, o.inst, index, v, r);
    return;
  }
  if (target.kind === 'tensor') {
    // A graph node, so the write is not lost: export lowers Tensor.__setitem__ or refuses it by name.
    ev.callOpKey('Tensor.__setitem__', [target, index, v], NO_KWARGS, r);
    return;
  }
  if (target.kind === 'unknown') return;
  ev.unsupported(`item assignment on ${target.kind}`, r);
}

export function binary(ev: Evaluator, op: string, a: PyValue, b: PyValue, r: Range | null): PyValue {
  if (a.kind === 'unknown') return a;
  if (b.kind === 'unknown') return b;
  if (a.kind === 'tensor' || b.kind === 'tensor') return ev.callOpKey(BIN_KEYS[op] ?? `op.${op}`, [a, b], new Map(), r);
  const flag = a.kind === 'object' || b.kind === 'object' ? flagBinary(op, a, b) : null;
  if (flag) return flag;
  const v = pyBinary(op, a, b);
  if (v) return v;
  const sa = setItems(a);
  const sb = setItems(b);
  if (sa && sb && (op === '|' || op === '&' || op === '-' || op === '^')) {
    const name = op === '|' ? 'union' : op === '&' ? 'intersection' : op === '-' ? 'difference' : 'symmetric_difference';
    return setMethod(a, name, [b], (x) => iterate(ev, x, r));
  }
  const ia = instanceOf(a);
  if (ia) {
    const dunder = { '+': '__add__', '*': '__mul__', '-': '__sub__', '@': '__matmul__' }[op];
    if (dunder) {
      const m = instanceGetAttr(ev, ia, dunder, r, false, true);
      if (m.kind !== 'unknown') return ev.call(m, [b], new Map(), r);
    }
  }
  return ev.unsupported(`operator ${op} on ${a.kind} and ${b.kind}`, r);
}

export function augmented(ev: Evaluator, op: string, cur: PyValue, rhs: PyValue, r: Range | null): PyValue {
  if (cur.kind === 'tensor') {
    const key = INPLACE_KEYS[op];
    const def = key ? functionOp(key) : undefined;
    if (def) return ev.callOp(def, key, [cur, rhs], new Map(), r);
    return ev.markInPlace(binary(ev, op, cur, rhs, r), cur);
  }
  const ci = instanceOf(cur);
  if (ci && ci.container === 'ModuleList' && op === '+') {
    // ModuleList.__iadd__ extends in place.
    const m = instanceGetAttr(ev, ci, 'extend', r);
    ev.call(m, [rhs], NO_KWARGS, r);
    return cur;
  }
  if (cur.kind === 'list' && op === '+') {
    const items = iterate(ev, rhs, r);
    if (items) cur.items.push(...items);
    return cur;
  }
  return binary(ev, op, cur, rhs, r);
}

export function compare(ev: Evaluator, op: string, a: PyValue, b: PyValue, r: Range | null): PyValue {
  switch (op) {
    case 'is':
    case 'is not': {
      const x = pyIs(a, b);
      return x === null ? unknown('identity of unknown values') : pyBool(op === 'is' ? x : !x);
    }
    case 'in':
    case 'not in': {
      const inst = instanceOf(b);
      const own = inst ? userOverride(ev, inst, '__contains__') : null;
      if (own) {
        const t = truthy(ev.call(own, [a], new Map(), r));
        return t === null ? unknown('membership by __contains__ not known') : pyBool(op === 'in' ? t : !t);
      }
      const x = flagContains(b, a) ?? pyContains(b, a);
      return x === null ? unknown('membership in an unknown value') : pyBool(op === 'in' ? x : !x);
    }
  }
  if (a.kind === 'tensor' || b.kind === 'tensor') return ev.callOpKey(CMP_KEYS[op], [a, b], new Map(), r);
  if (op === '==' || op === '!=') {
    const x = pyEquals(a, b);
    return x === null ? unknown('comparison of unknown values') : pyBool(op === '==' ? x : !x);
  }
  const x = pyOrder(op, a, b);
  return x === null ? unknown('comparison of unknown values') : pyBool(x);
}

/** The items a `for` loop would see; null (with a diagnostic when useful) when not known. */
export function iterate(ev: Evaluator, v: PyValue, r: Range | null): PyValue[] | null {
  switch (v.kind) {
    case 'tuple':
    case 'list':
      return [...v.items];
    case 'dict':
      return [...v.keys];
    case 'str':
      return [...v.value].map(pyStr);
    case 'unknown':
      return null;
    case 'tensor': {
      const t = v as Tensor;
      const n = t.shape?.[0]?.value;
      if (n === undefined || n === null || n > 4096) return null;
      const out: PyValue[] = [];
      for (let i = 0; i < n; i++) out.push(getItem(ev, t, pyInt(i), r));
      return out;
    }
    case 'object': {
      const o = asObject(v);
      if (o?.t === 'instance') return moduleIter(ev, o.inst, r);
      if (o?.t === 'set') return [...o.items];
      if (o?.t === 'opaque') return null;
      const members = o?.t === 'class' ? enumIter(v) : null;
      if (members) return members;
      ev.unsupported(`iteration over ${v.typeName}`, r);
      return null;
    }
    default:
      ev.unsupported(`iteration over ${v.kind}`, r);
      return null;
  }
}

export function length(ev: Evaluator, v: PyValue, r: Range | null): PyValue {
  if (v.kind === 'tuple' || v.kind === 'list') return pyInt(v.items.length);
  if (v.kind === 'dict') return pyInt(v.keys.length);
  if (v.kind === 'str') return pyInt(v.value.length);
  if (v.kind === 'tensor') return v.shape && v.shape.length ? { kind: 'int', dim: v.shape[0] } : unknown('len of a tensor');
  const inst = instanceOf(v);
  if (inst) return moduleLen(ev, inst, r);
  const si = setItems(v);
  if (si) return pyInt(si.length);
  const members = enumIter(v);
  if (members) return pyInt(members.length);
  if (v.kind === 'unknown') return v;
  return ev.unsupported(`len() of ${v.kind}`, r);
}

/** `lst[a:b] = items` replaces the slice (any length); an extended slice (`lst[::2] = …`) needs as many items as it selects. */
function setListSlice(
  ev: Evaluator,
  target: Extract<PyValue, { kind: 'list' }>,
  index: Extract<PyValue, { kind: 'slice' }>,
  v: PyValue,
  r: Range | null,
): void {
  const items = ev.iterate(v, r);
  const sel = ev.sliceIndices(index, target.items.length);
  if (!items || !sel) {
    ev.diag('warning', 'unsupported', 'slice assignment with bounds or items not known at analysis time; the list is unknown from here', r);
    target.items.splice(0, target.items.length, { kind: 'unknown', why: 'list after an unknown slice assignment' });
    return;
  }
  const step = index.step.kind === 'none' ? 1 : index.step.kind === 'int' ? index.step.dim.value : null;
  if (step === 1) {
    const n = target.items.length;
    const norm = (x: PyValue, dflt: number) => {
      if (x.kind !== 'int' || x.dim.value === null) return dflt;
      const k = x.dim.value < 0 ? Math.max(0, n + x.dim.value) : Math.min(n, x.dim.value);
      return k;
    };
    const start = norm(index.start, 0);
    const stop = Math.max(start, norm(index.stop, n));
    target.items.splice(start, stop - start, ...items);
    return;
  }
  if (items.length !== sel.length)
    throw new PyRaise(`attempt to assign sequence of size ${items.length} to extended slice of size ${sel.length}`, r, ev.currentFile, 'ValueError');
  sel.forEach((i, k) => (target.items[i] = items[k]));
}
