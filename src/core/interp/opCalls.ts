// Calls of registry ops: bind, infer, keep the side tables, record the graph node, report shape errors.
import type { Range } from '../python/ast';
import type { AttrValue, NodeRole } from '../graph/modelGraph';
import { functionOp, opErrorCode, opRole } from '../ops/registry';
import { ShapeError, UnknownArgError, type BoundArgs, type FunctionOpDef } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { DiagExtra, Evaluator } from './evaluator';
import { BudgetExceeded, PyRaise } from './errors';
import { unknown, type Instance, type Tensor } from './objects';
import { attrValue } from './recorder';
import { bindSpec } from './calls';
import { initRuleValues, shapeNumel } from './tensorConsts';

export function callOpKey(ev: Evaluator, key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
  const def = functionOp(key);
  if (!def) {
    if (args.some((a) => a.kind === 'unknown')) return unknown(`${key} of an unknown value`);
    ev.diag('warning', 'unsupported', `unsupported operation ${key}`, r);
    return unknown(`unsupported ${key}`);
  }
  return callOp(ev, def, key, args, kwargs, r);
}

/** Calls a registry function/method/operator: binds, infers, records the graph node, reports shape errors. */
export function callOp(ev: Evaluator, def: FunctionOpDef, key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
  const bound = bindSpec(ev, def.signature, args, kwargs, key);
  if (typeof bound === 'string') {
    ev.diag('error', 'call-args', bound, r);
    return unknown(bound);
  }
  let out: PyValue;
  try {
    out = def.infer(bound, ev.inferContext());
  } catch (e) {
    return opFailure(ev, e, def.name, r);
  }
  let mutated: Tensor | null = null;
  if (def.inPlace) {
    const self = bound[def.signature[0]?.name ?? ''];
    if (self?.kind === 'tensor') mutated = self as Tensor;
    out = markInPlace(ev, out, self);
  }
  out = ensureTensors(ev, out);
  if (def.creationInit && out.kind === 'tensor') ev.facts.setInit(out as Tensor, def.creationInit(bound));
  if (out.kind === 'tensor' && def.constValues) {
    const vals = def.constValues(bound, out, (t) => (t.kind === 'tensor' ? ev.facts.valuesOf(t as Tensor) : undefined));
    if (vals && vals.length === shapeNumel(out.shape)) ev.facts.setValues(out as Tensor, vals);
  }
  if (out.kind === 'tuple' && def.constPieces && out.items.every((t) => t.kind === 'tensor')) {
    const pieces = out.items as Tensor[];
    const vals = def.constPieces(bound, pieces, (t) => (t.kind === 'tensor' ? ev.facts.valuesOf(t as Tensor) : undefined));
    vals?.forEach((v, i) => {
      if (v && v.length === shapeNumel(pieces[i].shape)) ev.facts.setValues(pieces[i], v);
    });
  }
  if (ev.rec.active) addNode(ev, def.name, opRole(def), null, {}, bound, out, 0, def.flops ? safeFlops(() => def.flops!(bound, out)) : 0, r);
  // The mutated tensor's values now describe only its old version (already in the graph as this node's input):
  // an alias that still holds the old version must not read them as current.
  if (mutated) ev.facts.forgetValues(mutated);
  return out;
}

export function opFailure(ev: Evaluator, e: unknown, op: string, r: Range | null, extra: DiagExtra = {}): PyValue {
  if (e instanceof ShapeError) {
    ev.diag('error', opErrorCode(op, e.message), e.message, r, { ...(e.hint ? { hint: e.hint } : {}), ...extra });
    return unknown(`${op} failed: ${e.message}`);
  }
  if (e instanceof UnknownArgError) return unknown(e.message);
  if (e instanceof BudgetExceeded || e instanceof PyRaise) throw e;
  ev.diag('warning', 'internal', `${op}: ${e instanceof Error ? e.message : String(e)}`, r);
  return unknown(`${op} failed`);
}

/** In-place ops keep the first argument's identity (the oracle's tracer sees the same object). */
export function markInPlace(ev: Evaluator, out: PyValue, self: PyValue | undefined): PyValue {
  if (out.kind !== 'tensor' || !self || self.kind !== 'tensor') return out;
  const s = self as Tensor;
  const t: Tensor = { ...(out as Tensor), obj: s.obj, version: s.version + 1 };
  // Every local of the running frame that holds this object now sees the mutated tensor, as in Python.
  const f = ev.frame;
  if (f) {
    for (const [k, v] of f.locals) {
      if (v.kind === 'tensor' && (v as Tensor).obj === s.obj) f.locals.set(k, t);
      else if (v.kind === 'list')
        for (let i = 0; i < v.items.length; i++) if (v.items[i].kind === 'tensor' && (v.items[i] as Tensor).obj === s.obj) v.items[i] = t;
    }
  }
  // So do the model's modules holding it (`self.mask[:, :4] = 1` is seen by later reads of `self.mask`).
  if (ev.rec.active) for (const inst of ev.facts.tracedModules()) rebindHeld(inst, s.obj, t);
  return t;
}

/** Tensors made by rules without ctx.tensor get an identity too. */
export function ensureTensors(ev: Evaluator, v: PyValue): PyValue {
  if (v.kind === 'tensor') {
    if ((v as Partial<Tensor>).obj === undefined) return ev.rec.tensor(v.shape, v.dtype);
    return v;
  }
  if (v.kind === 'tuple')
    return v.items.some((x) => x.kind === 'tensor' && (x as Partial<Tensor>).obj === undefined) ? { ...v, items: v.items.map((x) => ensureTensors(ev, x)) } : v;
  if (v.kind === 'list') {
    for (let i = 0; i < v.items.length; i++) v.items[i] = ensureTensors(ev, v.items[i]);
  }
  return v;
}

export function addNode(
  ev: Evaluator,
  op: string,
  role: NodeRole,
  modulePath: string | null,
  attrs: BoundArgs,
  args: BoundArgs,
  out: PyValue,
  params: number,
  flops: number,
  r: Range | null,
): void {
  const id = ev.rec.newNodeId();
  const inputs: string[] = [];
  const argAttrs: Record<string, AttrValue> = {};
  for (const k in args) {
    const v = args[k];
    argAttrs[k] = attrValue(v);
    // Tensors made before the traced run (plain tensor attributes set in __init__) enter the graph as constants.
    collectTensorIds(v, inputs, 0, (t) => {
      if (ev.rec.values.has(t.id)) return;
      const param = ev.facts.isParam(t);
      // A constant's element values, when known (e.g. `self.offset = torch.zeros(…)`), let export write it.
      const vals = param ? undefined : (ev.facts.valuesOf(t) ?? (t.version === 0 ? (initRuleValues(ev.facts.initOf(t), t.shape) ?? undefined) : undefined));
      ev.rec.values.set(t.id, {
        id: t.id,
        shape: t.shape,
        dtype: t.dtype,
        source: param ? 'param' : 'const',
        producer: null,
        ...(vals ? { constValue: vals } : {}),
      });
    });
  }
  let attrOut = attrCache.get(attrs);
  if (!attrOut) {
    attrOut = {};
    for (const [k, v] of Object.entries(attrs)) attrOut[k] = attrValue(v);
    attrCache.set(attrs, attrOut);
  }
  const outputs: string[] = [];
  collectTensorIds(out, outputs, 0);
  const fresh = outputs.filter((o) => !inputs.includes(o));
  ev.rec.setProducer(fresh, id);
  ev.rec.addNode({
    id,
    op,
    role,
    modulePath,
    scope: ev.rec.stack.length ? ev.rec.stack[ev.rec.stack.length - 1].path : '',
    attrs: attrOut,
    args: argAttrs,
    inputs,
    outputs,
    params,
    flops: Number.isFinite(flops) ? flops : 0,
    range: ev.rec.range(r, ev.currentFile),
    callPath: ev.rec.stack.map((c) => c.path),
  });
}

/** Serialised constructor arguments per module (they never change after construction). */
const attrCache = new WeakMap<BoundArgs, Record<string, AttrValue>>();

function safeFlops(f: () => number): number {
  try {
    const v = f();
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}

function collectTensorIds(v: PyValue, out: string[], depth: number, seen?: (t: Tensor) => void): void {
  if (v.kind === 'tensor') {
    if (!out.includes(v.id)) out.push(v.id);
    seen?.(v as Tensor);
  } else if ((v.kind === 'tuple' || v.kind === 'list') && depth < 4) for (const x of v.items) collectTensorIds(x, out, depth + 1, seen);
  else if (v.kind === 'dict' && depth < 4) for (const x of v.entries.values()) collectTensorIds(x, out, depth + 1, seen);
}

/** Points a module's buffers, parameters and tensor attributes that are object `obj` at its new version `t`. */
function rebindHeld(inst: Instance, obj: number, t: Tensor): void {
  for (const [k, b] of inst.buffers) if (b && b.obj === obj) inst.buffers.set(k, t);
  for (const [k, p] of inst.params) if (p && p.obj === obj) inst.params.set(k, t);
  for (const [k, v] of inst.dict) if (v.kind === 'tensor' && (v as Tensor).obj === obj) inst.dict.set(k, t);
}
