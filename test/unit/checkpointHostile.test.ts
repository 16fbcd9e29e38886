// Hostile checkpoints: calls of os.system / eval / Popen stay inert placeholders; bad opcodes, oversized storages,
// zip bombs and deep nesting are refused with a clear message; nothing is executed and memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { loadPickle } from '../../src/core/weights/checkpoint/pickleMachine';
import { PickleError } from '../../src/core/weights/checkpoint/pickleGlobals';
import { PyObject } from '../../src/core/weights/checkpoint/pickleValues';
import { CheckpointError } from '../../src/core/weights/checkpoint/readTorchFile';
import { readWeightsFile } from '../../src/core/weights/readWeightsFile';
import { floatBytes, makeZip, PickleWriter, stateDictPickle, torchZip } from '../support/checkpointBuilder';

const marker = join(mkdtempSync(join(tmpdir(), 'fl-hostile-')), 'pwned');
const enc = (s: string) => new TextEncoder().encode(s);

/** The classic payload: `os.system('touch MARKER')` as a protocol-0 pickle. */
const osSystem = enc(`cos\nsystem\n(S'touch ${marker}'\ntR.`);

test('os.system in a pickle becomes a placeholder object named in the result; the command never runs', () => {
  const r = loadPickle(osSystem);
  assert.ok(r.value instanceof PyObject);
  assert.equal((r.value as PyObject).cls.qualified, 'os.system');
  assert.deepEqual((r.value as PyObject).args, [`touch ${marker}`]);
  assert.deepEqual(r.placeholders, ['os.system']);
  assert.ok(!existsSync(marker));
});

test('builtins.eval, subprocess.Popen (NEWOBJ) and __import__ inside a checkpoint: placeholders with a warning, weights still read', () => {
  const w = new PickleWriter().proto(2).op('}').op('(');
  w.str('state_dict').op('}').str('w').tensor('0', 2, [2], [1]).op('s');
  w.str('e')
    .global('builtins', 'eval')
    .tuple((x) => x.str(`open('${marker}', 'w')`))
    .op('R');
  w.str('p')
    .global('subprocess', 'Popen')
    .tuple(
      (x) => x.str('touch'),
      (x) => x.str(marker),
    )
    .raw(0x81);
  w.str('i')
    .global('builtins', '__import__')
    .tuple((x) => x.str('os'))
    .op('R');
  const file = torchZip(w.op('u').stop(), { '0': floatBytes([1, 2]) });
  const ck = readWeightsFile(file, 'hostile.pt');
  assert.ok(ck.format === 'torch-zip');
  assert.deepEqual([...ck.placeholders].sort(), ['builtins.__import__', 'builtins.eval', 'subprocess.Popen']);
  assert.ok(ck.warnings[0]!.includes('nothing was imported or called'));
  assert.deepEqual(Array.from(ck.tensors.get('w')!.data as Float32Array), [1, 2]);
  assert.ok(!existsSync(marker));
});

test('a __reduce__ payload written by torch.save (the fixture) is a placeholder, and nothing ran', () => {
  const ck = readWeightsFile(readFileSync(resolve(__dirname, '../fixtures/checkpoints/hostile_reduce.pt')), 'hostile_reduce.pt');
  assert.ok(ck.format === 'torch-zip' && ck.placeholders.includes('posix.system'));
  assert.ok(!existsSync('/tmp/fusion-lens-pwned'));
});

const refuses = (bytes: Uint8Array, re: RegExp, what: string) => {
  assert.throws(
    () => readWeightsFile(bytes, 'bad.pt'),
    (e: unknown) => e instanceof CheckpointError && re.test(e.message),
    what,
  );
};

test('opcodes check what they act on: BUILD, SETITEMS, APPEND and ADDITEMS on the wrong types are refused', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['BUILD on a list', new PickleWriter().proto().op(']').op('}').op('b').stop(), /BUILD on \[\]/],
    ['BUILD on an int', new PickleWriter().proto().int(3).op('}').op('b').stop(), /BUILD on 3/],
    ['SETITEMS on a list', new PickleWriter().proto().op(']').op('(').str('a').int(1).op('u').stop(), /SETITEM on \[\], not a dict/],
    ['SETITEM on a tuple', new PickleWriter().proto().op(')').str('a').int(1).op('s').stop(), /SETITEM on \(\), not a dict/],
    ['APPEND on a dict', new PickleWriter().proto().op('}').int(1).op('a').stop(), /APPEND on \{0 entries\}, not a list/],
    ['ADDITEMS on a list', new PickleWriter().proto(4).op(']').op('(').int(1).raw(0x90).stop(), /ADDITEMS on \[\], not a set/],
    ['unhashable key', new PickleWriter().proto().op('}').op(']').int(1).op('s').stop(), /unhashable/],
    ['REDUCE of a non-callable', new PickleWriter().proto().int(1).op(')').op('R').stop(), /cannot apply 1/],
    ['REDUCE with non-tuple args', new PickleWriter().proto().global('os', 'system').op(']').op('R').stop(), /not a tuple/],
    ['GET of an unset memo key', new PickleWriter().proto().raw(0x68, 7).stop(), /memo key 7 is not set/],
    ['pop from empty stack', new PickleWriter().proto().op('0').stop(), /POP from an empty stack/],
    ['unknown opcode', new PickleWriter().proto().raw(0xff).stop(), /unknown opcode 0xff/],
    ['protocol 9', new PickleWriter().proto(9).stop(), /protocol 9/],
    ['EXT1', new PickleWriter().proto().raw(0x82, 1).stop(), /EXT1/],
    [
      'huge LONG4',
      new PickleWriter()
        .proto()
        .raw(0x8b, 0x00, 0x10, 0, 0, ...new Array(4096).fill(1))
        .stop(),
      /longer than/,
    ],
    ['string past the end', new PickleWriter().proto().raw(0x58, 0xff, 0xff, 0xff, 0x7f).stop(), /truncated/],
    ['no STOP', new PickleWriter().proto().int(1).stop().subarray(0, 4), /without STOP/],
    [
      'storage type not a storage',
      new PickleWriter()
        .proto()
        .tuple(
          (w) => w.str('storage'),
          (w) => w.global('os', 'system'),
          (w) => w.str('0'),
          (w) => w.str('cpu'),
          (w) => w.int(1),
        )
        .raw(0x51)
        .stop(),
      /not a torch storage class/,
    ],
  ];
  for (const [what, pkl, re] of cases) refuses(torchZip(pkl), re, what);
});

test('a storage larger than the bytes present is refused before anything is allocated', () => {
  refuses(torchZip(stateDictPickle([['w', [1000, 1000]]]), { '0': floatBytes([1, 2, 3]) }), /declares 1000000 × 4 bytes but its entry holds 12/, 'zip');
  // a view that reaches past its storage's declared size
  const view = new PickleWriter().proto().op('}').op('(').str('w').tensor('0', 4, [3, 3], [3, 1]).op('u').stop();
  refuses(torchZip(view, { '0': floatBytes([1, 2, 3, 4]) }), /reaches element 8 of a 4-element storage/, 'view');
  // a storage with no entry
  refuses(torchZip(stateDictPickle([['w', [2]]])), /storage '0' has no entry/, 'missing entry');
  // a storage size that is not a count
  const neg = new PickleWriter()
    .proto()
    .tuple(
      (w) => w.str('storage'),
      (w) => w.global('torch', 'FloatStorage'),
      (w) => w.str('0'),
      (w) => w.str('cpu'),
      (w) => w.int(-5),
    )
    .raw(0x51)
    .stop();
  refuses(torchZip(neg), /storage size -5 is not a count/, 'negative size');
});

test('legacy format: a storage longer than the file is refused', () => {
  const magic = new PickleWriter().proto(2).raw(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).stop();
  const proto = new PickleWriter().proto(2).raw(0x4d, 0xe9, 0x03).stop();
  const sys = new PickleWriter().proto(2).op('}').stop();
  const main = stateDictPickle([['w', [100, 100]]]);
  const keys = new PickleWriter().proto(2).op(']').str('0').op('a').stop();
  const count = new Uint8Array(new BigInt64Array([10000n]).buffer);
  const file = Uint8Array.from([...magic, ...proto, ...sys, ...main, ...keys, ...count, ...floatBytes([1, 2])]);
  refuses(file, /declares 40000 bytes but only 8 are present/, 'legacy oversize');
  const lying = Uint8Array.from([...magic, ...proto, ...sys, ...main, ...keys, ...new Uint8Array(new BigInt64Array([3n]).buffer)]);
  refuses(lying, /holds 3 elements, the pickle declares 10000/, 'legacy count mismatch');
});

test('zip bombs: a deflated entry may not expand past its declared size, nor declare an absurd ratio', () => {
  const zeros = new Uint8Array(8 << 20);
  const deflated = new Uint8Array(deflateRawSync(zeros));
  const pkl = stateDictPickle([['w', [2 << 20]]]);
  // declared ratio ~1000:1 beyond the limit
  const bomb = makeZip([
    { name: 'archive/data.pkl', data: pkl },
    { name: 'archive/data/0', data: zeros, deflated, declaredSize: 2_000_000_000 },
  ]);
  refuses(bomb, /zip bomb/, 'ratio');
  // declares less than it inflates to: inflation stops at the declared size
  const liar = makeZip([
    { name: 'archive/data.pkl', data: pkl },
    { name: 'archive/data/0', data: zeros, deflated, declaredSize: 1 << 20 },
  ]);
  refuses(liar, /expands past its 1048576-byte limit|declares/, 'short declaration');
  // an honest deflated entry is read
  const ok = makeZip([
    { name: 'archive/data.pkl', data: pkl, deflated: new Uint8Array(deflateRawSync(pkl)) },
    { name: 'archive/data/0', data: zeros, deflated },
  ]);
  const ck = readWeightsFile(ok, 'deflated.pt');
  assert.equal(ck.tensors.get('w')!.data.length, 2 << 20);
});

test('deep nesting: MARKs are bounded, deeply nested lists do not overflow any walker', () => {
  const marks = new PickleWriter().proto();
  for (let i = 0; i < 5000; i++) marks.op('(');
  refuses(torchZip(marks.stop()), /nesting deeper than 1000 MARKs/, 'marks');
  // 100,000 lists nested inside each other, then a dict holding them: read as data, no state dict
  const lists = new PickleWriter().proto().op('}').str('x');
  for (let i = 0; i < 100_000; i++) lists.op(']');
  for (let i = 0; i < 99_999; i++) lists.op('a');
  refuses(torchZip(lists.op('s').stop()), /no state dict found/, 'nested lists');
  // a dict that contains itself
  const cyclic = new PickleWriter().proto().op('}').raw(0x71, 0).str('self').raw(0x68, 0).op('s').stop();
  refuses(torchZip(cyclic), /no state dict found/, 'cycle');
});

test('the value budget bounds what DUP/APPEND loops can build', () => {
  const w = new PickleWriter().proto().op(']');
  for (let i = 0; i < 300; i++) w.op('2').op('a'); // DUP + APPEND
  assert.throws(
    () => loadPickle(w.stop(), 0, { limits: { maxStack: 100, maxMemo: 100, maxMarks: 10, maxValues: 200, maxLongBytes: 8 } }),
    (e: unknown) => e instanceof PickleError && /more than 200 values/.test(e.message),
  );
});

test('truncated real checkpoints fail with a checkpoint error at every cut', () => {
  for (const name of ['zip_p2.pth', 'legacy_p4.pth', 'nested.pt']) {
    const bytes = readFileSync(resolve(__dirname, '../fixtures/checkpoints', name));
    for (let cut = 1; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 97))) {
      try {
        readWeightsFile(bytes.subarray(0, cut), name);
      } catch (e) {
        assert.ok(e instanceof Error && /CheckpointError|SafetensorsError|StateDictError/.test(e.name), `${name} cut at ${cut}: ${String(e)}`);
      }
    }
  }
});
