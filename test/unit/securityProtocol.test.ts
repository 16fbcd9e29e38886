// Fuzzing the message validators of src/protocol.ts: random values never throw and are accepted only when well-formed by an independent reading of the types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isFromGraphView, isFromRunPanel, isResponse, isToGraphView, isToRunPanel } from '../../src/protocol';

type Rec = Record<string, unknown>;
const rec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const str = (v: unknown): v is string => typeof v === 'string';
const nat = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const numOrNull = (v: unknown): boolean => v === null || typeof v === 'number';
const arr = (v: unknown, item: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(item);
const base64 = (v: unknown): boolean => v instanceof Uint8Array || (str(v) && /^[A-Za-z0-9+/]*={0,2}$/.test(v));
/** A file name the host may offer in a save dialog: one path segment, not `.` or `..`. */
const bareName = (v: unknown): boolean => str(v) && v.length > 0 && !/[/\\:\0]/.test(v) && !/^\.+$/.test(v);
const LEVELS = ['info', 'warn', 'error'];
const PHASES = ['loading-runtime', 'preparing-input', 'creating-session', 'running', 'summarising', 'done'];

/** What the graph view may send, read off the FromGraphView type (not off the validator). */
function wellFormedFromGraphView(m: unknown): boolean {
  if (!rec(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'revealSource':
      return str(m.nodeId) && str(m.file) && nat(m.line);
    case 'exportImage':
      return nat(m.requestId) && (m.requestId as number) >= 1 && (m.format === 'svg' || m.format === 'png') && bareName(m.fileName) && str(m.data);
    case 'runModel':
      return str(m.key);
    case 'layoutDone':
      return nat(m.nodes) && nat(m.edges) && finite(m.ms) && (m.ms as number) >= 0 && (m.mode === 'full' || m.mode === 'fast');
    case 'log':
      return LEVELS.includes(m.level as string) && str(m.message);
    default:
      return false;
  }
}

const stats = (s: unknown): boolean =>
  rec(s) && arr(s.dims, nat) && numOrNull(s.mean) && numOrNull(s.std) && numOrNull(s.min) && numOrNull(s.max) && nat(s.nonFinite);
const modelResult = (v: unknown): boolean =>
  rec(v) &&
  str(v.name) &&
  typeof v.ok === 'boolean' &&
  (v.error === undefined || str(v.error)) &&
  arr(v.outputs, (o) => rec(o) && str(o.name) && stats(o.stats) && arr(o.preview, numOrNull)) &&
  arr(
    v.layers,
    (l) => rec(l) && str(l.output) && str(l.node) && str(l.label) && ['layer', 'fusion-input', 'fusion-output'].includes(l.role as string) && stats(l.stats),
  ) &&
  finite(v.createMs) &&
  finite(v.runMs) &&
  finite(v.params) &&
  finite(v.flops);

/** What the run panel may send, read off the FromRunPanel type. */
function wellFormedFromRunPanel(m: unknown): boolean {
  if (!rec(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'runProgress':
      return (
        nat(m.runId) &&
        (m.model === null || str(m.model)) &&
        PHASES.includes(m.phase as string) &&
        finite(m.fraction) &&
        (m.fraction as number) >= 0 &&
        (m.fraction as number) <= 1
      );
    case 'runResult':
      return (
        nat(m.runId) &&
        arr(m.models, modelResult) &&
        arr(m.comparisons, (c) => rec(c) && str(c.a) && str(c.b) && nat(c.output) && numOrNull(c.maxAbsDiff) && numOrNull(c.cosine)) &&
        (m.error === undefined || str(m.error)) &&
        (m.cancelled === undefined || typeof m.cancelled === 'boolean')
      );
    case 'rerun':
      return (
        (m.seed === null || nat(m.seed)) && (m.image === null || (rec(m.image) && base64(m.image.data) && str(m.image.mime) && /^image\//.test(m.image.mime)))
      );
    case 'log':
      return LEVELS.includes(m.level as string) && str(m.message);
    default:
      return false;
  }
}

const TYPES = [
  'ready',
  'revealSource',
  'exportImage',
  'runModel',
  'layoutDone',
  'log',
  'runProgress',
  'runResult',
  'rerun',
  'response',
  'graph',
  'highlight',
  'run',
  'cancel',
  'constructor',
  '__proto__',
  '',
];

/** Random values, and random objects whose `type` is one the validators know (so the checks past the type run too). */
const anyMessage: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
  fc
    .record({ type: fc.constantFrom(...TYPES) })
    .chain((head) =>
      fc
        .dictionary(
          fc.constantFrom(
            'nodeId',
            'file',
            'line',
            'requestId',
            'format',
            'fileName',
            'data',
            'key',
            'nodes',
            'edges',
            'ms',
            'mode',
            'level',
            'message',
            'runId',
            'model',
            'phase',
            'fraction',
            'models',
            'comparisons',
            'seed',
            'image',
            'ok',
            'payload',
          ),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map((d) => ({ ...d, ...head })),
    ),
);

const validators = { isFromGraphView, isFromRunPanel, isToGraphView, isToRunPanel, isResponse };

test('validators never throw, whatever arrives', () => {
  fc.assert(
    fc.property(anyMessage, (m) => {
      for (const [name, v] of Object.entries(validators)) {
        try {
          v(m);
        } catch (e) {
          throw new Error(`${name} threw ${String(e)}`, { cause: e });
        }
      }
    }),
    { numRuns: 3000, seed: 7007 },
  );
});

test('a random value is accepted from a webview only when it is a well-formed message', () => {
  fc.assert(
    fc.property(anyMessage, (m) => {
      if (isFromGraphView(m)) assert.ok(wellFormedFromGraphView(m), `graph view accepted ${JSON.stringify(m)}`);
      if (isFromRunPanel(m)) assert.ok(wellFormedFromRunPanel(m), `run panel accepted ${JSON.stringify(m)}`);
    }),
    { numRuns: 3000, seed: 8008 },
  );
});

// Well-formed messages, generated from the types.
const text = fc.string({ maxLength: 40 });
const fileName = fc.stringMatching(/^[\w][\w.\- ]{0,40}$/);
const fromGraphView: fc.Arbitrary<Rec> = fc.oneof(
  fc.constant({ type: 'ready' }),
  fc.record({ type: fc.constant('revealSource'), nodeId: text, file: text, line: fc.nat() }),
  fc.record({
    type: fc.constant('exportImage'),
    requestId: fc.integer({ min: 1 }),
    format: fc.constantFrom('svg', 'png'),
    fileName,
    data: fc.base64String({ maxLength: 64 }),
  }),
  fc.record({ type: fc.constant('runModel'), key: text }),
  fc.record({
    type: fc.constant('layoutDone'),
    nodes: fc.nat(),
    edges: fc.nat(),
    ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    mode: fc.constantFrom('full', 'fast'),
  }),
  fc.record({ type: fc.constant('log'), level: fc.constantFrom('info', 'warn', 'error'), message: text }),
);
const statsArb = fc.record({
  dims: fc.array(fc.nat(64), { maxLength: 4 }),
  mean: fc.double(),
  std: fc.double(),
  min: fc.double(),
  max: fc.double(),
  nonFinite: fc.nat(),
});
const fromRunPanel: fc.Arbitrary<Rec> = fc.oneof(
  fc.constant({ type: 'ready' }),
  fc.record({
    type: fc.constant('runProgress'),
    runId: fc.nat(),
    model: fc.option(text, { nil: null }),
    phase: fc.constantFrom(...PHASES),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({
    type: fc.constant('runResult'),
    runId: fc.nat(),
    models: fc.array(
      fc.record({
        name: text,
        ok: fc.boolean(),
        outputs: fc.array(fc.record({ name: text, stats: statsArb, preview: fc.array(fc.double(), { maxLength: 4 }) }), { maxLength: 2 }),
        layers: fc.array(
          fc.record({ output: text, node: text, label: text, role: fc.constantFrom('layer', 'fusion-input', 'fusion-output'), stats: statsArb }),
          { maxLength: 2 },
        ),
        createMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
        runMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
        params: fc.nat(),
        flops: fc.nat(),
      }),
      { maxLength: 2 },
    ),
    comparisons: fc.array(fc.record({ a: text, b: text, output: fc.nat(), maxAbsDiff: fc.double(), cosine: fc.double() }), { maxLength: 2 }),
  }),
  fc.record({
    type: fc.constant('rerun'),
    seed: fc.option(fc.nat(), { nil: null }),
    image: fc.option(fc.record({ data: fc.base64String({ maxLength: 32 }), mime: fc.constantFrom('image/png', 'image/jpeg', 'image/webp') }), { nil: null }),
  }),
  fc.record({ type: fc.constant('log'), level: fc.constantFrom('info', 'warn', 'error'), message: text }),
);

test('well-formed messages from the webviews are accepted', () => {
  fc.assert(
    fc.property(fromGraphView, (m) => isFromGraphView(m)),
    { numRuns: 1000, seed: 9009 },
  );
  fc.assert(
    fc.property(fromRunPanel, (m) => isFromRunPanel(m)),
    { numRuns: 1000, seed: 9010 },
  );
});

/** A well-formed message with one field removed or replaced by a random value (possibly a hostile path or size). */
function damaged(valid: fc.Arbitrary<Rec>): fc.Arbitrary<Rec> {
  const hostile = fc.constantFrom<unknown>(
    '..',
    '.',
    '../x.png',
    '/etc/passwd',
    'a/b.png',
    'C:\\x.png',
    'x\0.png',
    -1,
    1.5,
    NaN,
    Infinity,
    2 ** 53,
    '',
    null,
    [],
    {},
    'image/svg+xml',
    'text/html',
    '%%%',
    true,
  );
  return fc.tuple(valid, fc.nat(), fc.oneof(fc.constant(undefined), hostile, fc.jsonValue({ maxDepth: 1 }))).map(([m, k, v]) => {
    const keys = Object.keys(m).filter((x) => x !== 'type');
    if (keys.length === 0) return m;
    const out: Rec = { ...m };
    const key = keys[k % keys.length]!;
    if (v === undefined) delete out[key];
    else out[key] = v;
    return out;
  });
}

test('damaged messages are accepted only when they are still well-formed', () => {
  fc.assert(
    fc.property(damaged(fromGraphView), (m) => {
      // The validator may be stricter (lengths, the file name's character set), never looser.
      if (isFromGraphView(m)) assert.ok(wellFormedFromGraphView(m), JSON.stringify(m));
    }),
    { numRuns: 4000, seed: 1234 },
  );
  fc.assert(
    fc.property(damaged(fromRunPanel), (m) => {
      if (isFromRunPanel(m)) assert.ok(wellFormedFromRunPanel(m), JSON.stringify(m));
    }),
    { numRuns: 4000, seed: 4321 },
  );
});

test('an export file name never names a place outside the folder it is joined to', () => {
  for (const fileName of ['..', '.', '...', '../a.png', 'a/b.png', 'a\\b.png', '/abs.png', 'C:x.png']) {
    assert.equal(isFromGraphView({ type: 'exportImage', requestId: 1, format: 'png', fileName, data: '' }), false, fileName);
  }
  assert.equal(isFromGraphView({ type: 'exportImage', requestId: 1, format: 'png', fileName: 'Net v1.2.png', data: '' }), true);
});
