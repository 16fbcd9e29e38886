// `import` and `from … import`: library namespaces, and other Python files of the package or workspace (read via a callback).
import type { Range, Stmt } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { Frame } from './frame';
import type { Evaluator } from './evaluator';
import { asObject, obj, unknown, type ModuleScope } from './objects';
import { isKnownLibrary, namespaceAttr } from './torchNamespace';

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

/** The folder above the outermost package containing `file` (where absolute imports of the package start). */
export function packageRoot(ip: Evaluator, file: string): string {
  let dir = dirname(file);
  for (let i = 0; i < 32; i++) {
    if (ip.opts.readFile?.(joinPath(dir, '__init__.py')) == null) return dir;
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
  return dir;
}

/** Finds `a/b/c.py` or `a/b/c/__init__.py` below one of the bases. */
function findModuleFile(ip: Evaluator, bases: readonly string[], dotted: string): string | null {
  if (!ip.opts.readFile) return null;
  const rel = dotted.split('.').join('/');
  for (const base of bases) {
    for (const cand of [joinPath(base, `${rel}.py`), joinPath(base, rel, '__init__.py')]) {
      if (ip.opts.readFile(cand) != null) return cand;
    }
  }
  return null;
}

/** Parses and runs another file once per analysis (a partially initialised module is reused on cycles). */
export function loadModuleFile(ip: Evaluator, path: string, name: string): ModuleScope | null {
  const done = ip.modulesByFile.get(path);
  if (done) return done;
  const text = ip.opts.readFile?.(path);
  if (text == null) return null;
  const mod = ip.opts.parse(text, path);
  return ip.runModule(mod, path, name);
}

function searchBases(ip: Evaluator, frame: Frame): string[] {
  const bases = [packageRoot(ip, frame.scope.file), dirname(frame.scope.file), ...ip.opts.searchRoots];
  return [...new Set(bases)];
}

function resolveFile(ip: Evaluator, dotted: string, frame: Frame): ModuleScope | null {
  const file = findModuleFile(ip, searchBases(ip, frame), dotted);
  return file ? loadModuleFile(ip, file, dotted) : null;
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
  const scope = resolveFile(ip, name, frame);
  if (scope) {
    if (asname) ip.setName(frame, asname, obj({ t: 'pymodule', scope }, 'module'));
    else {
      const top = name.split('.')[0];
      const topScope = top === name ? scope : resolveFile(ip, top, frame) ?? { file: `<package ${top}>`, name: top, globals: new Map() };
      // `import a.b` binds `a` and makes `a.b` reachable.
      let cur = topScope;
      const parts = name.split('.');
      for (let i = 1; i < parts.length; i++) {
        const dotted = parts.slice(0, i + 1).join('.');
        const next = i === parts.length - 1 ? scope : resolveFile(ip, dotted, frame) ?? { file: `<package ${dotted}>`, name: dotted, globals: new Map() };
        cur.globals.set(parts[i], obj({ t: 'pymodule', scope: next }, 'module'));
        cur = next;
      }
      ip.setName(frame, top, obj({ t: 'pymodule', scope: topScope }, 'module'));
    }
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
  let dotted = s.module;
  let file: string | null = null;
  if (s.level > 0) {
    let dir = dirname(frame.scope.file);
    for (let i = 1; i < s.level; i++) dir = dirname(dir);
    if (!s.module) {
      // `from . import a, b`: names of the package's __init__ or its submodules.
      const init = joinPath(dir, '__init__.py');
      const scope = ip.opts.readFile?.(init) != null ? loadModuleFile(ip, init, dir.split('/').pop() || '') : null;
      for (const n of s.names) {
        const v = (scope ? scope.globals.get(n.name) : undefined) ?? subModule(ip, dir, n.name);
        bindImported(ip, frame, n.asname ?? n.name, v ?? null, '.'.repeat(s.level), n.name, s.r);
      }
      if (s.star && scope) starImport(ip, frame, scope);
      return;
    }
    file = findModuleFile(ip, [dir], s.module);
    dotted = s.module;
  } else file = findModuleFile(ip, searchBases(ip, frame), s.module);
  const shown = `${'.'.repeat(s.level)}${s.module}`;
  if (!file) {
    ip.diag('warning', 'unknown-import', `cannot resolve import '${shown}'; values from it are unknown`, s.r);
    for (const n of s.names) ip.setName(frame, n.asname ?? n.name, unknown(`unresolved import ${s.module}.${n.name}`));
    return;
  }
  const found = file;
  if (s.star) {
    const scope = loadModuleFile(ip, found, dotted);
    if (scope) starImport(ip, frame, scope);
    return;
  }
  // Names are bound lazily: the other file is parsed and run only when one of them is used.
  const importer = frame.scope.file;
  const moduleDir = found.endsWith('/__init__.py') ? dirname(found) : null;
  for (const n of s.names) {
    const load = (): PyValue => {
      const scope = loadModuleFile(ip, found, dotted);
      const got = scope?.globals.get(n.name);
      if (scope && got) return ip.forceIn(scope.globals, n.name, got);
      const sub = moduleDir ? subModule(ip, moduleDir, n.name) : null;
      if (sub) return sub;
      ip.diag('warning', 'unknown-import', `cannot import '${n.name}' from '${shown}'`, s.r, {}, importer);
      return unknown(`unresolved import ${s.module}.${n.name}`);
    };
    ip.setName(frame, n.asname ?? n.name, obj({ t: 'lazy', load }, 'lazy import'));
  }
}

function subModule(ip: Evaluator, dir: string, name: string): PyValue | null {
  for (const cand of [joinPath(dir, `${name}.py`), joinPath(dir, name, '__init__.py')]) {
    if (ip.opts.readFile?.(cand) != null) {
      const scope = loadModuleFile(ip, cand, name);
      if (scope) return obj({ t: 'pymodule', scope }, 'module');
    }
  }
  return null;
}

function bindImported(ip: Evaluator, frame: Frame, as: string, v: PyValue | null, module: string, name: string, r: Range): void {
  if (v) {
    ip.setName(frame, as, v);
    return;
  }
  ip.diag('warning', 'unknown-import', `cannot import '${name}' from '${module}'`, r);
  ip.setName(frame, as, unknown(`unresolved import ${module}.${name}`));
}

function starImport(ip: Evaluator, frame: Frame, scope: ModuleScope): void {
  const all = scope.globals.get('__all__');
  const names = all && (all.kind === 'list' || all.kind === 'tuple') ? all.items.flatMap((x) => (x.kind === 'str' ? [x.value] : [])) : [...scope.globals.keys()].filter((k) => !k.startsWith('_'));
  for (const n of names) {
    const v = scope.globals.get(n);
    if (v) ip.setName(frame, n, v);
  }
}
