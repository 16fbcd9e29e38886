// Finding the user's Python environment and its package folders without running Python; import search order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import { envFsFrom, findPythonEnv, importRoots, interpreterPrefix, sitePackages, splitPythonPath, type EnvFs } from '../../src/core/interp/pythonEnv';
import { importSources, noImportOptions } from '../../src/cli/importSources';

const ENVS = resolve(__dirname, '../fixtures/envs');
const WS = join(ENVS, 'ws');
const realFs = envFsFrom(fs);

/** An in-memory file system of folder paths and file paths (Windows-style paths work too). */
function memFs(dirs: string[], files: string[]): EnvFs {
  const d = new Set(dirs);
  const f = new Set(files);
  return {
    isDir: (p) => d.has(p),
    isFile: (p) => f.has(p),
    listDir: (p) =>
      [...d, ...f].filter((x) => x.startsWith(p) && x.length > p.length + 1 && !/[\\/]/.test(x.slice(p.length + 1))).map((x) => x.slice(p.length + 1)),
  };
}

test('site-packages of a venv, a Windows prefix and Debian system prefixes', () => {
  assert.deepEqual(sitePackages(join(WS, '.venv'), realFs), [join(WS, '.venv/lib/python3.11/site-packages')]);
  assert.deepEqual(sitePackages(join(ENVS, 'win'), realFs), [join(ENVS, 'win/Lib/site-packages')]);
  // Debian: pip's /usr/local/lib/python3.X/dist-packages first, then the distribution's lib/python3/dist-packages.
  assert.deepEqual(sitePackages(join(ENVS, 'debian'), realFs), [
    join(ENVS, 'debian/local/lib/python3.11/dist-packages'),
    join(ENVS, 'debian/lib/python3/dist-packages'),
  ]);
  assert.deepEqual(sitePackages(join(ENVS, 'nothing-here'), realFs), []);
  // Several versions: the newest first.
  const m = memFs(['/e/lib', '/e/lib/python3.9', '/e/lib/python3.12', '/e/lib/python3.9/site-packages', '/e/lib/python3.12/site-packages'], []);
  assert.deepEqual(sitePackages('/e', m), ['/e/lib/python3.12/site-packages', '/e/lib/python3.9/site-packages']);
  const w = memFs(['C:\\py\\env', 'C:\\py\\env\\Lib', 'C:\\py\\env\\Lib\\site-packages'], []);
  assert.deepEqual(sitePackages('C:\\py\\env', w), ['C:\\py\\env\\Lib\\site-packages']);
});

test('the prefix of an interpreter path', () => {
  assert.equal(interpreterPrefix('/home/u/proj/.venv/bin/python3'), '/home/u/proj/.venv');
  assert.equal(interpreterPrefix('/usr/bin/python3'), '/usr');
  assert.equal(interpreterPrefix('C:\\proj\\.venv\\Scripts\\python.exe'), 'C:\\proj\\.venv');
  assert.equal(interpreterPrefix('C:\\Python312\\python.exe'), 'C:\\Python312');
  assert.equal(interpreterPrefix('/opt/conda/envs/vision/bin/python'), '/opt/conda/envs/vision');
  // An environment folder is its own prefix.
  assert.equal(interpreterPrefix(join(WS, '.venv'), realFs), join(WS, '.venv'));
});

test('the environment: Python extension, then VIRTUAL_ENV, then a workspace .venv, then the configured interpreter', () => {
  const all = { pythonExtension: '/x/ext/bin/python', virtualEnv: '/x/venv', workspaceFolders: [WS], defaultInterpreterPath: '/x/conf/bin/python' };
  assert.deepEqual(findPythonEnv(all, realFs), { prefix: '/x/ext', source: 'python-extension' });
  assert.deepEqual(findPythonEnv({ ...all, pythonExtension: null }, realFs), { prefix: '/x/venv', source: 'VIRTUAL_ENV' });
  assert.deepEqual(findPythonEnv({ ...all, pythonExtension: null, virtualEnv: null }, realFs), { prefix: join(WS, '.venv'), source: 'workspace' });
  assert.deepEqual(findPythonEnv({ ...all, pythonExtension: null, virtualEnv: null, workspaceFolders: [ENVS] }, realFs), {
    prefix: '/x/conf',
    source: 'setting',
  });
  // The setting's bare default (`python`) names no place: no environment.
  assert.equal(findPythonEnv({ defaultInterpreterPath: 'python', workspaceFolders: [ENVS] }, realFs), null);
});

test('search order: workspace, PYTHONPATH, site-packages, extra paths; duplicates keep their first place', () => {
  assert.deepEqual(importRoots({ workspaceFolders: ['/ws', '/ws2/'], pythonPath: ['/pp', '/ws'], sitePackages: ['/sp'], extraPaths: ['/extra', '/pp'] }), [
    '/ws',
    '/ws2',
    '/pp',
    '/sp',
    '/extra',
  ]);
  assert.deepEqual(splitPythonPath('/a:/b::/c'), ['/a', '/b', '/c']);
  assert.deepEqual(splitPythonPath('C:\\a;D:\\b'), ['C:\\a', 'D:\\b']);
  assert.deepEqual(splitPythonPath(undefined), []);
});

test('CLI: VIRTUAL_ENV / a .venv of the working folder / --python-env, PYTHONPATH and --python-path; only .py files are read', () => {
  const file = join(WS, 'app/model.py');
  const site = join(WS, '.venv/lib/python3.11/site-packages');
  const fromCwd = importSources(file, noImportOptions(), {}, WS);
  assert.deepEqual(fromCwd.searchRoots, [join(WS, 'app'), WS, site]);
  const fromVar = importSources(file, noImportOptions(), { VIRTUAL_ENV: join(ENVS, 'win'), PYTHONPATH: '/pp' }, WS);
  assert.deepEqual(fromVar.searchRoots, [join(WS, 'app'), WS, '/pp', join(ENVS, 'win/Lib/site-packages')]);
  const flags = importSources(file, { pythonPaths: ['/extra'], pythonEnv: join(ENVS, 'debian') }, {}, WS);
  assert.deepEqual(flags.searchRoots.slice(2), [
    join(ENVS, 'debian/local/lib/python3.11/dist-packages'),
    join(ENVS, 'debian/lib/python3/dist-packages'),
    '/extra',
  ]);
  assert.ok(fromCwd.readFile(join(site, 'tinyvision/registry.py'))?.includes('def create_model'));
  assert.equal(fromCwd.readFile(join(WS, '.venv/pyvenv.cfg')), null);
  assert.equal(fromCwd.readFile(join(WS, '.venv/bin/python')), null);
  assert.equal(fromCwd.isDir(join(WS, 'parts')), true);
});
