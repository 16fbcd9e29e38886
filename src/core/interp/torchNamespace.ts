// Attribute resolution in library namespaces: torch, torch.nn, torch.nn.functional, math, functools, typing, logging, copy, …
import type { Range } from '../python/ast';
import { dtypeNamed } from '../ops/args';
import { functionOp, moduleOp, providesPythonModule, pythonModuleMember } from '../ops/registry';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { obj, unknown, type Tensor } from './objects';
import { builtin } from './builtins';
import { sysModules } from './moduleObjects';
import { CONTAINERS } from './moduleRuntime';
import { stdlibAttr } from './stdlib';
import { autogradAttr, fromNumpy, gradModeQuery, torchUnique } from './torchAutograd';
import { nnUtilsAttr } from './torchNnUtils';
import { num, pyBool, pyInt, pyStr } from './pyOps';

/** Python modules the analysis understands (imports of anything else must resolve to workspace files). */
const KNOWN_ROOTS = new Set([
  'torch',
  'math',
  'collections',
  'functools',
  'typing',
  'typing_extensions',
  'logging',
  'warnings',
  'os',
  'sys',
  'copy',
  'itertools',
  'numpy',
  'abc',
  'dataclasses',
  'enum',
  'numbers',
  'operator',
  'inspect',
  're',
  'json',
  'time',
  'random',
  '__future__',
  'types',
  ...STDLIB_OPAQUE(),
]);

/** Standard-library modules that model files import for things the analysis does not need (paths, I/O, hashing). */
function STDLIB_OPAQUE(): string[] {
  return [
    'pathlib',
    'io',
    'struct',
    'tempfile',
    'atexit',
    'builtins',
    'weakref',
    'contextlib',
    'textwrap',
    'urllib',
    'hashlib',
    'string',
    'glob',
    'shutil',
    'pickle',
    'argparse',
    'datetime',
    'threading',
    'multiprocessing',
    'subprocess',
    'platform',
    'traceback',
    'uuid',
    'csv',
    'zipfile',
    'tarfile',
    'gzip',
    'base64',
    'errno',
    'signal',
    'socket',
    'queue',
    'heapq',
    'bisect',
    'decimal',
    'fractions',
    'statistics',
    'pprint',
    'shlex',
    'fnmatch',
    'importlib',
    'pkgutil',
    'unittest',
    'yaml',
    'tqdm',
    'PIL',
    'matplotlib',
    'scipy',
    'pandas',
    'cv2',
    'accimage',
    'defusedxml',
    'cffi',
  ];
}
const OPAQUE_ROOTS = new Set(STDLIB_OPAQUE());
/** Modules whose attributes stdlib.ts defines (what it does not define falls through to the rules below). */
const STDLIB_PATHS = new Set([
  'math',
  'collections',
  'functools',
  'itertools',
  'operator',
  'copy',
  'dataclasses',
  'inspect',
  'types',
  're',
  'warnings',
  'numpy',
  'numpy.random',
  'enum',
]);

export function isKnownLibrary(path: string): boolean {
  const root = path.split('.')[0];
  return KNOWN_ROOTS.has(root) || providesPythonModule(root);
}

const ABSTRACT_TYPES = new Set([
  'Complex',
  'Rational',
  'Sequence',
  'MutableSequence',
  'List',
  'Tuple',
  'Dict',
  'Mapping',
  'MutableMapping',
  'Iterable',
  'Iterator',
  'Collection',
  'Callable',
  'Set',
  'FrozenSet',
  'Number',
  'Integral',
  'Real',
  'FunctionType',
  'MethodType',
  'LambdaType',
]);

const TORCH_SUBMODULES = new Set([
  '_C',
  'nn',
  'jit',
  'cuda',
  'backends',
  'utils',
  'autograd',
  'fx',
  'onnx',
  'distributed',
  'hub',
  'linalg',
  'fft',
  'special',
  'amp',
  'cpu',
  'mps',
  'overrides',
  'testing',
]);
const NN_SUBMODULES = new Set(['functional', 'init', 'utils', 'modules', 'parameter', 'common_types']);
/** Files of the `torch.nn.modules` package that define layer classes; `torch.nn.modules.batchnorm.BatchNorm2d` is `torch.nn.BatchNorm2d`. */
const NN_MODULE_FILES = new Set([
  'activation',
  'adaptive',
  'batchnorm',
  'channelshuffle',
  'container',
  'conv',
  'distance',
  'dropout',
  'flatten',
  'fold',
  'instancenorm',
  'lazy',
  'linear',
  'loss',
  'module',
  'normalization',
  'padding',
  'pixelshuffle',
  'pooling',
  'rnn',
  'sparse',
  'transformer',
  'upsampling',
]);

const ns = (path: string): PyValue => obj({ t: 'namespace', path }, 'module');
const opaque = (what: string): PyValue => obj({ t: 'opaque', what }, what);
const identity = (name: string) => builtin(name, (a) => a[0] ?? NONE);
/** A decorator factory (`functools.wraps(f)`, `lru_cache(maxsize=None)`) whose decorator returns the function. */
const decoratorFactory = (name: string) =>
  builtin(name, (a) => {
    const first = a[0];
    if (first && first.kind === 'object' && (first.typeName === 'function' || first.typeName === 'method')) return first;
    return identity(name);
  });

/** Op keys of a namespace path: `torch.nn.functional` ops are registered as `F.*`. */
function opPrefix(path: string): string | null {
  if (path === 'torch.nn.functional') return 'F';
  if (path === 'torch' || path === 'torch.linalg' || path === 'torch.fft' || path === 'torch.special') return path;
  return null;
}

export function namespaceAttr(ip: Evaluator, path: string, name: string, r: Range | null): PyValue {
  const full = `${path}.${name}`;
  // Modules the op registry provides whole (einops): its functions, layer classes and subpackages.
  const provided = pythonModuleMember(path, name);
  if (provided === 'module') return ns(full);
  if (provided && provided.kind === 'module') return obj({ t: 'class', cls: { t: 'torch', type: provided.type, leaf: provided } }, 'type');
  if (provided) return obj({ t: 'op', def: provided, key: provided.name }, 'builtin_function_or_method');
  const prefix = opPrefix(path);
  if (prefix) {
    const key = `${prefix}.${name}`;
    const def = functionOp(key);
    if (def) return obj({ t: 'op', def, key }, 'builtin_function_or_method');
  }
  if (path.startsWith('torch.nn.modules.') && NN_MODULE_FILES.has(path.slice('torch.nn.modules.'.length))) {
    const cls = nnClass(ip, name);
    if (cls) return cls;
  }
  const std = STDLIB_PATHS.has(path) ? stdlibAttr(ip, path, name, r) : null;
  if (std) return std;
  switch (path) {
    case 'torch':
      if (dtypeNamed(name)) return { kind: 'object', typeName: 'torch.dtype', ref: dtypeNamed(name) };
      if (TORCH_SUBMODULES.has(name)) return ns(full);
      switch (name) {
        case 'Tensor':
          return ip.builtins.get('Tensor') ?? builtin('Tensor', () => unknown('torch.Tensor()'));
        case 'Size':
          return builtin('Size', (a) => {
            const items = a[0] ? ip.iterate(a[0], r) : [];
            return items ? { kind: 'tuple', items, isSize: true } : unknown('torch.Size of an unknown value');
          });
        case 'no_grad':
        case 'enable_grad':
        case 'inference_mode':
        case 'set_grad_enabled':
        case 'autocast':
          return builtin(name, () => opaque('grad mode'));
        case 'device':
          return builtin(name, () => opaque('torch.device'));
        case 'manual_seed':
        case 'set_default_dtype':
        case 'set_printoptions':
        case '_assert':
          return builtin(name, () => NONE);
        case 'is_tensor':
          return builtin(name, (a) => pyBool(a[0]?.kind === 'tensor'));
        case 'is_floating_point':
          return builtin(name, (a) => pyBool(a[0]?.kind === 'tensor' && (a[0] as Tensor).dtype.startsWith('float')));
        case 'finfo':
        case 'iinfo':
          return builtin(name, () => opaque(name));
        case 'Generator':
          return builtin(name, () => opaque('torch.Generator'));
        case '__version__':
          return pyStr('1.13.0');
        case 'from_numpy':
          return fromNumpy(ip, r);
        case 'unique':
          return torchUnique(ip);
      }
      {
        const q = gradModeQuery(name);
        if (q) return q;
      }
      break;
    case 'torch.autograd':
    case 'torch.autograd.function': {
      const a = autogradAttr(ip, path, name);
      if (a) return a;
      break;
    }
    case 'torch.nn':
    case 'torch.nn.modules':
      // torch.nn.modules.utils holds _single/_pair/_triple/_ntuple, not torch.nn.utils.
      if (path === 'torch.nn.modules' && (NN_MODULE_FILES.has(name) || name === 'utils')) return ns(full);
      if (NN_SUBMODULES.has(name)) return ns(`torch.nn.${name}`);
      {
        const cls = nnClass(ip, name);
        if (cls) return cls;
      }
      break;
    case 'torch.nn.modules.utils': {
      const n = { _single: 1, _pair: 2, _triple: 3, _quadruple: 4 }[name];
      if (n) return ntuple(ip, name, n, r);
      if (name === '_ntuple')
        return builtin(name, (a) => {
          const count = a[0] ? num(a[0]) : null;
          return count != null && Number.isInteger(count) && count >= 0 ? ntuple(ip, `_ntuple(${count})`, count, r) : unknown('_ntuple of an unknown count');
        });
      break;
    }
    case 'torch.nn.parameter':
      if (name === 'Parameter') return parameterCtor(ip);
      break;
    case 'torch.nn.init':
      if (name === 'calculate_gain') return builtin(name, () => ({ kind: 'float', value: 1 }));
      return identity(name);
    case 'torch.nn.utils':
    case 'torch.nn.utils.parametrizations': {
      const u = nnUtilsAttr(ip, path, name);
      if (u) return u;
      if (name === 'parametrizations') return ns(full);
      if (path.endsWith('parametrizations')) return identity(name);
      break;
    }
    case 'torch.utils':
      if (name === 'checkpoint') return ns(full);
      break;
    case 'torch.utils.checkpoint':
      if (name === 'checkpoint' || name === 'checkpoint_sequential') {
        // checkpoint(fn, *args) computes fn(*args) (recomputation does not change shapes).
        return builtin(name, (a, k) => {
          const rest = new Map([...k].filter(([key]) => key !== 'use_reentrant' && key !== 'preserve_rng_state'));
          return a[0] ? ip.call(a[0], a.slice(1), rest, ip.site.range) : unknown('checkpoint');
        });
      }
      break;
    case 'torch.jit':
      if (['script', 'ignore', 'unused', 'export', 'trace', 'script_method', 'is_scripting', 'is_tracing', '_overload_method', '_overload'].includes(name)) {
        if (name === 'is_scripting' || name === 'is_tracing') return builtin(name, () => pyBool(false));
        return decoratorFactory(name);
      }
      // torch.jit.annotate(type, value) is value in eager mode.
      if (name === 'annotate') return builtin(name, (a) => a[1] ?? NONE);
      if (name === 'Final' || name === 'Attribute') return opaque('typing');
      break;
    case 'torch.cuda':
      if (name === 'is_available') return builtin(name, () => pyBool(false));
      if (name === 'device_count') return builtin(name, () => pyInt(0));
      return builtin(name, () => NONE);
    case 'torch._C':
      if (name === '_get_tracing_state') return builtin(name, () => NONE);
      return opaque(full);
    case 'torch.backends':
      return opaque(full);
    case 'torch.fx':
      if (name === 'wrap') return identity(name);
      break;
    case 'typing':
    case 'typing_extensions':
    case 'numbers':
    case 'abc':
    case 'types':
    case '__future__':
    case 'collections.abc':
      if (name === 'abstractmethod') return identity(name);
      if (name === 'OrderedDict' || name === 'DefaultDict') return ip.builtins.get(name === 'OrderedDict' ? 'OrderedDict' : 'defaultdict')!;
      // Abstract container types answer isinstance() like Python does for builtin values.
      if (ABSTRACT_TYPES.has(name)) return builtin(`abc.${name}`, () => unknown(`${name}()`));
      if (name === 'cast') return builtin(name, (a) => a[1] ?? NONE);
      return opaque('typing');
    case 'logging':
      return builtin(name, () => opaque('logger'));
    default:
      if (OPAQUE_ROOTS.has(path.split('.')[0])) return opaque(full);
      break;
  }
  // The process the analysed code would run in is not this one: no environment variables are set (os.environ.get
  // gives its default), and sys.modules holds the modules the analysis has loaded.
  if (path === 'os' && name === 'environ') return { kind: 'dict', entries: new Map(), keys: [] };
  if (path === 'os' && name === 'getenv') return builtin(name, (a, k) => a[1] ?? k.get('default') ?? NONE);
  if (path === 'sys' && name === 'modules') return sysModules(ip);
  if (path === 'sys' && name === 'version_info') return { kind: 'tuple', items: [pyInt(3), pyInt(11), pyInt(2), pyStr('final'), pyInt(0)] };
  switch (path) {
    case 'os':
    case 'sys':
    case 'json':
    case 'time':
    case 'random':
      return opaque(full);
    default:
      if (path.startsWith('os.') || path.startsWith('sys.')) return opaque(full);
      break;
  }
  if (path.startsWith('torch')) {
    ip.diag('warning', 'unsupported', `${full} is not supported by the analysis yet`, r);
    return unknown(`unsupported ${full}`);
  }
  ip.diag('warning', 'unknown-name', `${full} is not known to the analysis`, r);
  return unknown(full);
}

/** A layer class (or `Parameter`) as it is reachable from `torch.nn` and from `torch.nn.modules[.<file>]`; null for other names. */
function nnClass(ip: Evaluator, name: string): PyValue | null {
  if (name === 'Parameter') return parameterCtor(ip);
  if (name === 'Module' || CONTAINERS.has(name)) return obj({ t: 'class', cls: { t: 'torch', type: name, leaf: null } }, 'type');
  // Private bases that library code subclasses with its own forward (SyncBatchNorm copies): the layer they generalise.
  const privateBase: Record<string, string> = { _BatchNorm: 'BatchNorm2d', _NormBase: 'BatchNorm2d', _InstanceNorm: 'InstanceNorm2d' };
  if (name in privateBase) {
    const base = moduleOp(privateBase[name]);
    if (base) return obj({ t: 'class', cls: { t: 'torch', type: privateBase[name], leaf: base } }, 'type');
  }
  const def = moduleOp(name);
  return def && !def.library ? obj({ t: 'class', cls: { t: 'torch', type: name, leaf: def } }, 'type') : null;
}

/** `torch.nn.modules.utils._pair` and friends: an iterable becomes a tuple, anything else is repeated n times. */
function ntuple(ip: Evaluator, name: string, n: number, r: Range | null): PyValue {
  return builtin(name, (a) => {
    const x = a[0] ?? NONE;
    if (x.kind === 'tuple' || x.kind === 'list') return { kind: 'tuple', items: [...x.items] };
    if (x.kind === 'int' || x.kind === 'float' || x.kind === 'bool' || x.kind === 'none') return { kind: 'tuple', items: Array.from({ length: n }, () => x) };
    const items = x.kind === 'object' ? ip.iterate(x, r) : null;
    return items ? { kind: 'tuple', items } : unknown(`${name} of an unknown value`);
  });
}

/** nn.Parameter(data): a parameter tensor with the data's shape, dtype and initialisation. */
function parameterCtor(ip: Evaluator): PyValue {
  return builtin('Parameter', (a, k) => {
    const data = a[0] ?? k.get('data');
    if (!data || data.kind !== 'tensor') return data ?? unknown('Parameter without data');
    const src = data as Tensor;
    const t = ip.rec.tensor(src.shape, src.dtype);
    ip.facts.markParam(t);
    const init = ip.facts.initOf(src);
    if (init) ip.facts.setInit(t, init);
    return t;
  });
}
