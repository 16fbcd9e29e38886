// `import` and `from … import` as Python resolves them: library namespaces, then source files found on the search
// roots (parents first, each submodule bound on its package, namespace packages without __init__.py). Read, never run.
import type { Range, Stmt } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { Frame } from './frame';
import type { Evaluator } from './evaluator';
import { asObject, obj, unknown, type ModuleScope } from './objects';
import { pyStr } from './pyOps';
import { isKnownLibrary, namespaceAttr } from './torchNamespace';
import { moduleValue } from './moduleObjects';

export { moduleValue, sysModules } from './moduleObjects';

const norm = (p: string): string => p.replace(/\\/g, '/');

export function dirname(p: string): string {
  const s = norm(p);
  const i = s.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : s.slice(0, i);
}

export function joinPath(...parts: string[]): string {
  const s = parts.filter(Boolean).map(norm).join('/');
  const out: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '..' && out.length && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else if (seg !== '.' && !(seg === '' && out.length)) out.push(seg);
  }
  return out.join('/') || '/';
}

/** Per interpreter: file texts and folder checks already answered in this analysis, namespace packages by folders. */
interface ImportCaches {
  readonly texts: Map<string, string | null>;
  readonly dirs: Map<string, boolean>;
  readonly namespaces: Map<string, ModuleScope>;
  /** Module file → the files that imported it (they hold its values: when it changes, they must run again). */
  readonly importers: Map<string, Set<string>>;
}
const caches = new WeakMap<Evaluator, ImportCaches>();

function cachesOf(ip: Evaluator): ImportCaches {
  let c = caches.get(ip);
  if (!c) caches.set(ip, (c = { texts: new Map(), dirs: new Map(), namespaces: new Map(), importers: new Map() }));
  return c;
}

/** Forgets file texts and folder checks (at the start of an analysis: files may have changed since the last one). */
export function forgetFileChecks(ip: Evaluator): void {
  const c = cachesOf(ip);
  c.texts.clear();
  c.dirs.clear();
}

/** Who imported what (see ModuleWorld). */
export function moduleImporters(ip: Evaluator): Map<string, Set<string>> {
  return cachesOf(ip).importers;
}

function noteImport(ip: Evaluator, file: string): void {
  const by = ip.currentFile;
  if (by === file || file.startsWith('<')) return;
  const m = cachesOf(ip).importers;
  let set = m.get(file);
  if (!set) m.set(file, (set = new Set()));
  set.add(by);
}

export function readSource(ip: Evaluator, path: string): string | null {
  const c = cachesOf(ip);
  let t = c.texts.get(path);
  if (t === undefined) c.texts.set(path, (t = ip.opts.readFile?.(path) ?? null));
  return t;
}

function isDir(ip: Evaluator, path: string): boolean {
  const c = cachesOf(ip);
  let d = c.dirs.get(path);
  if (d === undefined) c.dirs.set(path, (d = ip.opts.isDir?.(path) ?? false));
  return d;
}

/** The folder above the outermost package containing `file` (where absolute imports of the package start). */
export function packageRoot(ip: Evaluator, file: string): string {
  let dir = dirname(file);
  for (let i = 0; i < 32; i++) {
    if (readSource(ip, joinPath(dir, '__init__.py')) == null) return dir;
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
  return dir;
}

/** Parses and runs another file once (a partially initialised module is reused on cycles, as in Python). */
export function loadModuleFile(ip: Evaluator, path: string, name: string, parent: ModuleScope | null = null): ModuleScope | null {
  noteImport(ip, path);
  const done = ip.modulesByFile.get(path);
  if (done) return done;
  const text = readSource(ip, path);
  if (text == null) return null;
  const mod = ip.opts.parse(text, path);
  const scope: ModuleScope = { file: path, name, globals: new Map() };
  if (path.endsWith('/__init__.py')) {
    // A package's __path__ is set before its body runs (its own relative imports need it).
    scope.globals.set('__path__', { kind: 'list', items: [pyStr(dirname(path))] });
    scope.globals.set('__package__', pyStr(name));
  }
  // The child is bound on its package as soon as it starts, as Python's import system does.
  if (parent) parent.globals.set(name.split('.').pop()!, moduleValue(scope));
  return ip.runModule(mod, path, name, scope);
}

/** Where a module name is found in some folders: a package, a module file, or namespace-package portions. */
type Found = { readonly file: string } | { readonly dirs: string[] };

function findIn(ip: Evaluator, dirs: readonly string[], name: string): Found | null {
  const portions: string[] = [];
  for (const d of dirs) {
    const pkg = joinPath(d, name);
    const init = joinPath(pkg, '__init__.py');
    if (readSource(ip, init) != null) return { file: init };
    const file = joinPath(d, `${name}.py`);
    if (readSource(ip, file) != null) return { file };
    if (isDir(ip, pkg)) portions.push(pkg);
  }
  return portions.length ? { dirs: portions } : null;
}

function namespacePackage(ip: Evaluator, dirs: string[], name: string, parent: ModuleScope | null): ModuleScope {
  const key = dirs.join('\u0000');
  const c = cachesOf(ip);
  let scope = c.namespaces.get(key);
  if (!scope) {
    scope = { file: `<namespace ${name}>`, name, globals: new Map() };
    scope.globals.set('__name__', pyStr(name));
    scope.globals.set('__path__', { kind: 'list', items: dirs.map(pyStr) });
    c.namespaces.set(key, scope);
  }
  if (parent) parent.globals.set(name.split('.').pop()!, moduleValue(scope));
  return scope;
}

/** The folders a package's submodules are found in (its __path__). */
function packageDirs(scope: ModuleScope): string[] {
  const p = scope.globals.get('__path__');
  if (p && p.kind === 'list') return p.items.flatMap((x) => (x.kind === 'str' ? [x.value] : []));
  return scope.file.endsWith('/__init__.py') ? [dirname(scope.file)] : [];
}

/**
 * Imports `parts` below `parent` (or from `bases` when there is none), parents first; returns every level's scope.
 * With `runParents` false, a package on the way that is not loaded yet is only looked into (its __init__ does not
 * run): an analysed file is run on its own, not as part of its package, and running a large package's __init__
 * from one of its own modules would only meet that module half-initialised.
 */
function importChain(
  ip: Evaluator,
  parent: ModuleScope | null,
  bases: readonly string[],
  parts: readonly string[],
  prefix: string,
  runParents = true,
): ModuleScope[] | null {
  const out: ModuleScope[] = [];
  let cur = parent;
  for (let i = 0; i < parts.length; i++) {
    const name = prefix ? `${prefix}.${parts.slice(0, i + 1).join('.')}` : parts.slice(0, i + 1).join('.');
    // An attribute already bound on the package (a submodule imported before) is reused.
    const bound = cur?.globals.get(parts[i]!);
    const bo = bound ? asObject(bound) : null;
    // (unless it was dropped since: a file that changed is imported afresh)
    if (bo && bo.t === 'pymodule' && (bo.scope.file.startsWith('<') || ip.modulesByFile.get(bo.scope.file) === bo.scope)) {
      noteImport(ip, bo.scope.file);
      out.push(bo.scope);
      cur = bo.scope;
      continue;
    }
    const dirs = cur ? packageDirs(cur) : bases;
    const found = findIn(ip, dirs, parts[i]!);
    if (!found) return null;
    if (!runParents && i < parts.length - 1 && 'file' in found && found.file.endsWith('/__init__.py') && !ip.modulesByFile.has(found.file)) {
      const folder: ModuleScope = { file: `<unloaded ${name}>`, name, globals: new Map([['__path__', { kind: 'list', items: [pyStr(dirname(found.file))] }]]) };
      out.push(folder);
      cur = folder;
      continue;
    }
    const scope = 'file' in found ? loadModuleFile(ip, found.file, name, cur) : namespacePackage(ip, found.dirs, name, cur);
    if (!scope) return null;
    out.push(scope);
    cur = scope;
  }
  return out;
}

function searchBases(ip: Evaluator, frame: Frame): string[] {
  const file = frame.scope.file;
  const own = file.startsWith('<') ? [] : [packageRoot(ip, file), dirname(file)];
  return [...new Set([...own, ...ip.opts.searchRoots])];
}

/** The package a module's relative imports start from: `__package__`, else the folder of the file. */
function relativeBase(ip: Evaluator, frame: Frame, level: number): { scope: ModuleScope | null; dir: string; name: string } {
  let dir = dirname(frame.scope.file);
  for (let i = 1; i < level; i++) dir = dirname(dir);
  const init = joinPath(dir, '__init__.py');
  const scope = ip.modulesByFile.get(init) ?? null;
  const pkgName = frame.scope.file.endsWith('/__init__.py') ? frame.scope.name : frame.scope.name.split('.').slice(0, -1).join('.');
  const parts = pkgName ? pkgName.split('.') : [];
  const name = level - 1 <= parts.length ? parts.slice(0, parts.length - (level - 1)).join('.') : '';
  // A package not imported yet is not run for a relative import (its __init__ may import half the library):
  // the module is found in the folder, as Python would after running it.
  return { scope, dir, name };
}

function libraryValue(ip: Evaluator, path: string, r: Range | null): PyValue {
  const parts = path.split('.');
  let v: PyValue = obj({ t: 'namespace', path: parts[0] }, 'module');
  for (let i = 1; i < parts.length; i++) {
    const o = asObject(v);
    if (!o || o.t !== 'namespace') return unknown(path);
    v = namespaceAttr(ip, o.path, parts[i], r);
  }
  return v;
}

export function importModule(ip: Evaluator, name: string, asname: string | null, frame: Frame, r: Range): void {
  if (isKnownLibrary(name)) {
    ip.setName(frame, asname ?? name.split('.')[0], asname ? libraryValue(ip, name, r) : obj({ t: 'namespace', path: name.split('.')[0] }, 'module'));
    return;
  }
  const chain = importChain(ip, null, searchBases(ip, frame), name.split('.'), '', !asname);
  if (chain) {
    // `import a.b` binds `a` (with `a.b` reachable); `import a.b as m` binds the submodule.
    ip.setName(frame, asname ?? name.split('.')[0]!, moduleValue(asname ? chain[chain.length - 1]! : chain[0]!));
    return;
  }
  ip.diag('warning', 'unknown-import', `cannot resolve import '${name}'; values from it are unknown`, r);
  ip.setName(frame, asname ?? name.split('.')[0], unknown(`unresolved import ${name}`));
}

export function importFrom(ip: Evaluator, s: Extract<Stmt, { k: 'importfrom' }>, frame: Frame): void {
  if (s.level === 0 && isKnownLibrary(s.module)) {
    const base = libraryValue(ip, s.module, s.r);
    const o = asObject(base);
    for (const n of s.names) {
      let v: PyValue;
      if (o && o.t === 'namespace') v = namespaceAttr(ip, o.path, n.name, s.r);
      else v = unknown(`${s.module}.${n.name}`);
      ip.setName(frame, n.asname ?? n.name, v);
    }
    return;
  }
  const shown = `${'.'.repeat(s.level)}${s.module}`;
  let target: ModuleScope | null = null;
  if (s.level > 0) {
    const base = relativeBase(ip, frame, s.level);
    if (!s.module) target = base.scope ?? namespacePackage(ip, [base.dir], base.name || base.dir.split('/').pop() || '', null);
    else {
      const parts = s.module.split('.');
      const chain = base.scope ? importChain(ip, base.scope, [], parts, base.name, false) : importChain(ip, null, [base.dir], parts, base.name, false);
      target = chain ? chain[chain.length - 1]! : null;
    }
  } else {
    const chain = importChain(ip, null, searchBases(ip, frame), s.module.split('.'), '', false);
    target = chain ? chain[chain.length - 1]! : null;
  }
  if (!target) {
    ip.diag('warning', 'unknown-import', `cannot resolve import '${shown}'; values from it are unknown`, s.r);
    for (const n of s.names) ip.setName(frame, n.asname ?? n.name, unknown(`unresolved import ${s.module}.${n.name}`));
    return;
  }
  if (s.star) {
    starImport(ip, frame, target);
    return;
  }
  const scope = target;
  const importer = frame.scope.file;
  for (const n of s.names) {
    const now = scope.globals.get(n.name);
    if (now) {
      ip.setName(frame, n.asname ?? n.name, now);
      continue;
    }
    // `from pkg import sub` imports the submodule when the package has no such attribute.
    const sub = importChain(ip, scope, [], [n.name], scope.name);
    if (sub) {
      ip.setName(frame, n.asname ?? n.name, moduleValue(sub[0]!));
      continue;
    }
    // A name not there yet (a module still initialising in an import cycle) is looked up again where it is used.
    const load = (): PyValue => {
      const got = scope.globals.get(n.name);
      if (got) return ip.forceIn(scope.globals, n.name, got);
      ip.diag('warning', 'unknown-import', `cannot import '${n.name}' from '${shown}'`, s.r, {}, importer);
      return unknown(`unresolved import ${s.module}.${n.name}`);
    };
    ip.setName(frame, n.asname ?? n.name, obj({ t: 'lazy', load }, 'lazy import'));
  }
}

function starImport(ip: Evaluator, frame: Frame, scope: ModuleScope): void {
  const all = scope.globals.get('__all__');
  const names =
    all && (all.kind === 'list' || all.kind === 'tuple')
      ? all.items.flatMap((x) => (x.kind === 'str' ? [x.value] : []))
      : [...scope.globals.keys()].filter((k) => !k.startsWith('_'));
  for (const n of names) {
    const v = scope.globals.get(n);
    if (v) ip.setName(frame, n, v);
  }
}
