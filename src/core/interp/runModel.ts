// Builds a model from a Python expression in a file's scope, runs forward on symbolic inputs, and assembles the ModelGraph.
import type { PyModule, Range } from '../python/ast';
import type { Diagnostic, InputDecl, ModelGraph, StateEntry } from '../graph/modelGraph';
import type { DType, Shape } from '../shape/shape';
import { numel } from '../shape/shape';
import { NONE, type PyValue } from '../ops/values';
import { Frame } from './frame';
import { BudgetExceeded, Interpreter, PyRaise, type InterpOptions } from './interpreter';
import { callModule, namedModules } from './moduleRuntime';
import { lazyPending, reportUncalledLazy } from './leafState';
import { asObject, instanceOf, type Instance, type ModuleScope, type Tensor } from './objects';
import { pyStr } from './pyOps';
import { tensorLeaves } from './tensorLeaves';
import type { InputKind } from './inputSpec';

export interface ModelInput {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface RunRequest {
  /** Python expression evaluated in the file's module scope (`UNet(base=4)`). */
  readonly expr: string;
  readonly inputs: readonly ModelInput[];
  readonly inputKind: InputKind;
  readonly classRange?: Range | null;
}

export interface RunResult {
  /** null when the model could not be built (see diagnostics). */
  readonly graph: ModelGraph | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly root: Instance | null;
  /** Linear in_features constraints seen with unknown sizes (for input-spec solving). */
  readonly constraints: readonly import('./facts').SizeConstraint[];
}

/** Runs the file's top level in a fresh interpreter (each model gets its own world). */
export function loadFile(opts: InterpOptions, mod: PyModule, moduleName: string): { ip: Interpreter; scope: ModuleScope } {
  const ip = new Interpreter(opts);
  const scope = ip.runModule(mod, opts.file, moduleName);
  return { ip, scope };
}

function evalExpr(ip: Interpreter, scope: ModuleScope, expr: string): PyValue {
  const parsed = ip.opts.parse(expr, '<expr>');
  const stmt = parsed.body[0];
  if (parsed.syntaxErrors.length || !stmt || stmt.k !== 'expr' || parsed.body.length !== 1) {
    ip.diag('error', 'bad-expr', `cannot parse model expression '${expr}'`, null);
    return { kind: 'unknown', why: 'bad expression' };
  }
  const frame = new Frame(null, scope, '<module>', '<module>', null, false, null);
  return ip.inFile('<expr>', () => ip.eval(stmt.value, frame));
}

// A budget cut says nothing about the model (a warning); an exception after an import was cut short may come from the
// names that import did not get to define, so it is not reported as the user's error either.
const raiseSeverity = (ip: Interpreter): 'error' | 'warning' => (ip.incompleteModules.size > 0 ? 'warning' : 'error');
const cutNote = (ip: Interpreter): string =>
  ip.incompleteModules.size > 0 ? ' (an import was cut short by the import budget, so this may come from names it did not define)' : '';

/** Evaluates the model expression; null (with a diagnostic) when it does not build an nn.Module. */
export function buildModel(ip: Interpreter, scope: ModuleScope, expr: string): Instance | null {
  try {
    const v = evalExpr(ip, scope, expr);
    const root = instanceOf(v);
    if (root && root.isModule) return root;
    if (v.kind !== 'unknown' || !ip.rec.diagnostics.some((d) => d.severity === 'error')) {
      ip.diag('error', 'not-a-module', `'${expr}' does not build an nn.Module (${v.kind === 'unknown' ? v.why : v.kind})`, null);
    }
    return null;
  } catch (e) {
    if (e instanceof PyRaise) {
      ip.diag(raiseSeverity(ip), 'raise', `building '${expr}' raised ${e.excType}: ${e.message}${cutNote(ip)}`, e.range, {}, e.file);
      return null;
    }
    if (e instanceof BudgetExceeded) {
      ip.diag('warning', 'budget', `building '${expr}': ${e.message}`, null);
      return null;
    }
    throw e;
  }
}

export function runModel(ip: Interpreter, scope: ModuleScope, req: RunRequest): RunResult {
  const root = buildModel(ip, scope, req.expr);
  if (!root) return { graph: null, diagnostics: ip.rec.diagnostics, root: null, constraints: ip.facts.constraints };
  return forwardModel(ip, root, req);
}

/** Runs forward once on the request's inputs (with module hooks and line tracing on). */
export function forwardModel(ip: Interpreter, root: Instance, req: RunRequest): RunResult {
  const rec = ip.rec;
  const named = namedModules(root);
  ip.facts.setPaths(named);
  for (const [, m] of named) m.dict.set('training', { kind: 'bool', value: false });
  let stateDict = buildStateDict(ip, root);
  let paramsTotal = countParams(named);
  const lazy = named.some(([, m]) => lazyPending(m));

  rec.active = true;
  const inputs: InputDecl[] = [];
  const tensors: Tensor[] = [];
  for (const inp of req.inputs) {
    const t = rec.tensor(inp.shape, inp.dtype, 'input', null, inp.name, true);
    tensors.push(t);
    inputs.push({ name: inp.name, shape: inp.shape, dtype: inp.dtype, value: t.id });
  }
  let args: PyValue[];
  if (req.inputKind === 'list') args = [{ kind: 'list', items: tensors }];
  else if (req.inputKind === 'dict') {
    const entries = new Map<string, PyValue>();
    const keys: PyValue[] = [];
    req.inputs.forEach((inp, i) => (entries.set(inp.name, tensors[i]), keys.push(pyStr(inp.name))));
    args = [{ kind: 'dict', entries, keys }];
  } else args = tensors;

  let out: PyValue = NONE;
  try {
    out = callModule(ip, root, args, new Map(), null);
  } catch (e) {
    if (e instanceof PyRaise) ip.diag(raiseSeverity(ip), 'raise', `forward raised ${e.excType}: ${e.message}${cutNote(ip)}`, e.range, {}, e.file);
    else if (e instanceof BudgetExceeded) ip.diag('warning', 'budget', `forward: ${e.message}`, null);
    else throw e;
    out = { kind: 'unknown', why: 'forward failed' };
  } finally {
    rec.active = false;
    rec.stack.length = 0;
  }
  if (lazy) {
    // Lazy modules took shape during forward: the state and the count are the ones after it (as PyTorch's state_dict()).
    reportUncalledLazy(ip, named);
    stateDict = buildStateDict(ip, root);
    paramsTotal = countParams(named);
  }
  const leaves = tensorLeaves(out);
  const outputs = leaves.flatMap(([, t]) => (t ? [t.id] : []));
  for (const [, t] of leaves)
    if (t && !rec.values.has(t.id)) rec.values.set(t.id, { id: t.id, shape: t.shape, dtype: t.dtype, source: 'node', producer: null });
  const outputKind = out.kind === 'dict' ? 'dict' : out.kind === 'tuple' ? 'tuple' : out.kind === 'list' ? 'list' : 'tensor';
  const graph: ModelGraph = {
    expr: req.expr,
    className: root.typeName,
    file: ip.opts.file,
    inputs,
    inputKind: req.inputKind,
    outputs,
    outputKind,
    ...(out.kind === 'dict' ? { outputKeys: out.keys.map((k) => (k.kind === 'str' ? k.value : String(k.kind))) } : {}),
    values: rec.values,
    nodes: rec.nodes,
    modules: rec.finishedCalls(),
    lines: rec.lines,
    diagnostics: rec.diagnostics,
    stateDict,
    paramsTotal,
    flopsTotal: rec.nodes.reduce((a, n) => a + n.flops, 0),
    classRange: req.classRange ? rec.range(req.classRange) : null,
  };
  return { graph, diagnostics: rec.diagnostics, root, constraints: ip.facts.constraints };
}

function countParams(named: [string, Instance][]): number {
  const seen = new Set<number>();
  let total = 0;
  for (const [, m] of named) {
    for (const p of m.params.values()) {
      if (!p || seen.has(p.obj)) continue;
      seen.add(p.obj);
      total += (p.shape && numel(p.shape)) ?? 0;
    }
  }
  return total;
}

/** state_dict order: own parameters, own persistent buffers, then each child recursively (shared tensors aliased). */
function buildStateDict(ip: Interpreter, root: Instance): StateEntry[] {
  const out: StateEntry[] = [];
  const firstName = new Map<number, string>();
  const visit = (m: Instance, prefix: string, path: string) => {
    const add = (name: string, t: Tensor, role: 'param' | 'buffer') => {
      const full = prefix + name;
      const shape = (t.shape ?? []).map((d) => d.value ?? 0);
      const alias = firstName.get(t.obj);
      if (!alias) firstName.set(t.obj, full);
      const source = role === 'param' ? 'param' : 'buffer';
      if (ip.rec.values.get(t.id)?.name === undefined)
        ip.rec.values.set(t.id, { id: t.id, shape: t.shape, dtype: t.dtype, source, producer: null, name: full });
      out.push({
        name: full,
        shape,
        dtype: t.dtype,
        role,
        modulePath: path,
        moduleType: m.typeName,
        init: ip.facts.initOf(t) ?? { kind: 'zeros' },
        ...(alias ? { aliasOf: alias } : {}),
      });
    };
    for (const [n, p] of m.params) if (p) add(n, p, 'param');
    for (const [n, b] of m.buffers) if (b && !m.nonPersistent.has(n)) add(n, b, 'buffer');
    for (const [n, c] of m.modules) if (c) visit(c, `${prefix}${n}.`, path ? `${path}.${n}` : n);
  };
  visit(root, '', '');
  return out;
}

/** Classes of a module scope that derive from nn.Module, by name. */
export function moduleClasses(scope: ModuleScope): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  for (const [name, v] of scope.globals) {
    const o = asObject(v);
    if (o && o.t === 'class' && o.cls.t === 'user' && o.cls.cls.scope === scope && o.cls.cls.mro.some((c) => c.t === 'torch')) out.set(name, v);
  }
  return out;
}
