// Numeric checks of individual lowerings: tiny Python models are interpreted, exported, run in onnxruntime-web and compared with torch semantics computed here.
// FUSION_LENS_ONNX_CHECK=1 also passes every exported model through onnx.checker (needs /usr/bin/python3 with onnx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { parseInputSpec, type InputSpec } from '../../src/core/interp/inputSpec';
import { exportOnnx, OnnxExportError } from '../../src/core/onnx/encodeOnnx';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import type { RunTensor } from '../../src/core/run/runner';
import { initStateDict } from '../../src/core/weights/initStateDict';
import { initTestParser } from '../support/pythonWasm';

/** x = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]] − 5.5 (values with both signs). */
const X: RunTensor = { dtype: 'float32', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i - 5.5) };
const xs = Array.from(X.data as Float32Array);

function checkModel(bytes: Uint8Array): void {
  if (process.env.FUSION_LENS_ONNX_CHECK !== '1') return;
  const f = join(mkdtempSync(join(tmpdir(), 'fl-lower-')), 'm.onnx');
  writeFileSync(f, bytes);
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', f], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
}

async function runForward(body: string, inputs: RunTensor[] = [X], specs = ['3x4']): Promise<RunTensor> {
  await initTestParser();
  const args = inputs.map((_, i) => `x${i}`).join(', ');
  const text = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass M(nn.Module):\n    def forward(self, ${args}):\n        return ${body}\n`;
  const fa = analyzeSource({ text, file: '/tmp/m.py', models: [{ expr: 'M()', inputs: specs.map((s) => parseInputSpec(s) as InputSpec) }] });
  const g = fa.models[0]?.graph;
  assert.ok(g, `not interpreted: ${fa.models[0]?.diagnostics.map((d) => d.message).join('; ')}`);
  const m = exportOnnx(g, { weights: initStateDict(g.stateDict, 0) });
  checkModel(m.bytes);
  const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
  const out = await s.run(Object.fromEntries(m.inputNames.map((n, i) => [n, inputs[i]!])));
  await s.dispose();
  return out[m.outputNames[0]!]!;
}

function close(actual: RunTensor, shape: number[], expected: number[], tol = 1e-5): void {
  assert.deepEqual(actual.shape, shape);
  const got = Array.from(actual.data as ArrayLike<number | bigint>, Number);
  assert.equal(got.length, expected.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)), `[${i}] ${v} vs ${expected[i]}`));
}

const at = (r: number, c: number): number => xs[r * 4 + c]!;
const grid = (rows: number, cols: number, f: (r: number, c: number) => number): number[] =>
  Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols));

test('flip and roll', async () => {
  close(
    await runForward('torch.flip(x0, [1])'),
    [3, 4],
    grid(3, 4, (r, c) => at(r, 3 - c)),
  );
  close(
    await runForward('torch.roll(x0, 1, 0)'),
    [3, 4],
    grid(3, 4, (r, c) => at((r + 2) % 3, c)),
  );
  close(
    await runForward('torch.roll(x0, -1, 1)'),
    [3, 4],
    grid(3, 4, (r, c) => at(r, (c + 1) % 4)),
  );
  close(
    await runForward('torch.roll(x0, 5)'),
    [3, 4],
    grid(3, 4, (r, c) => xs[(r * 4 + c - 5 + 12) % 12]!),
  );
});

test('triu, tril, index_select, repeat_interleave, indexing', async () => {
  close(
    await runForward('torch.triu(x0, 1)'),
    [3, 4],
    grid(3, 4, (r, c) => (c - r >= 1 ? at(r, c) : 0)),
  );
  close(
    await runForward('torch.tril(x0)'),
    [3, 4],
    grid(3, 4, (r, c) => (c <= r ? at(r, c) : 0)),
  );
  close(
    await runForward('x0.repeat_interleave(2, dim=0)'),
    [6, 4],
    grid(6, 4, (r, c) => at(Math.floor(r / 2), c)),
  );
  close(await runForward('x0[:, 1]'), [3], [at(0, 1), at(1, 1), at(2, 1)]);
  close(
    await runForward('x0[None, 2]'),
    [1, 4],
    grid(1, 4, (_r, c) => at(2, c)),
  );
  close(await runForward('x0[..., None]'), [3, 4, 1], xs);
});

test('activations: glu, logsigmoid, threshold, hardshrink, softshrink, gelu(tanh), hardtanh', async () => {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  close(
    await runForward('F.glu(x0, dim=1)'),
    [3, 2],
    grid(3, 2, (r, c) => at(r, c) * sig(at(r, c + 2))),
  );
  close(
    await runForward('F.logsigmoid(x0)'),
    [3, 4],
    xs.map((v) => Math.log(sig(v))),
  );
  close(
    await runForward('F.threshold(x0, 1.0, -2.0)'),
    [3, 4],
    xs.map((v) => (v > 1 ? v : -2)),
  );
  close(
    await runForward('F.hardshrink(x0, 2.0)'),
    [3, 4],
    xs.map((v) => (Math.abs(v) > 2 ? v : 0)),
  );
  close(
    await runForward('F.softshrink(x0, 2.0)'),
    [3, 4],
    xs.map((v) => (v > 2 ? v - 2 : v < -2 ? v + 2 : 0)),
  );
  const gt = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  close(await runForward("F.gelu(x0, approximate='tanh')"), [3, 4], xs.map(gt));
  close(
    await runForward('F.hardtanh(x0, -2.0, 3.0)'),
    [3, 4],
    xs.map((v) => Math.min(3, Math.max(-2, v))),
  );
  close(
    await runForward('F.softplus(x0, beta=2.0, threshold=3.0)'),
    [3, 4],
    xs.map((v) => (2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2)),
  );
});

test('arithmetic with promotion, division modes and comparisons', async () => {
  close(
    await runForward('x0 // 2'),
    [3, 4],
    xs.map((v) => Math.floor(v / 2)),
  );
  close(
    await runForward('x0 % 3'),
    [3, 4],
    xs.map((v) => v - Math.floor(v / 3) * 3),
  );
  close(
    await runForward('torch.fmod(x0, 3)'),
    [3, 4],
    xs.map((v) => v % 3),
  );
  close(
    await runForward("torch.div(x0, 2, rounding_mode='trunc')"),
    [3, 4],
    xs.map((v) => Math.trunc(v / 2)),
  );
  close(
    await runForward('torch.add(x0, x0, alpha=3)'),
    [3, 4],
    xs.map((v) => 4 * v),
  );
  close(
    await runForward('(x0 >= 0.5).float()'),
    [3, 4],
    xs.map((v) => (v >= 0.5 ? 1 : 0)),
  );
  close(
    await runForward('2 ** x0'),
    [3, 4],
    xs.map((v) => 2 ** v),
    1e-5,
  );
  close(
    await runForward('torch.clamp(x0, min=-1.0)'),
    [3, 4],
    xs.map((v) => Math.max(-1, v)),
  );
  close(
    await runForward('torch.where(x0 > 0, x0, 0.5)'),
    [3, 4],
    xs.map((v) => (v > 0 ? v : 0.5)),
  );
});

test('reductions: var/std (unbiased), amax, argmax, logsumexp, cumsum', async () => {
  const rowVar = (r: number): number => {
    const row = [0, 1, 2, 3].map((c) => at(r, c));
    const m = row.reduce((a, b) => a + b, 0) / 4;
    return row.reduce((a, b) => a + (b - m) ** 2, 0) / 3;
  };
  close(await runForward('x0.var(dim=1)'), [3], [0, 1, 2].map(rowVar));
  close(
    await runForward('x0.std(dim=1, keepdim=True)'),
    [3, 1],
    [0, 1, 2].map((r) => Math.sqrt(rowVar(r))),
  );
  close(
    await runForward('x0.amax(dim=0)'),
    [4],
    [0, 1, 2, 3].map((c) => at(2, c)),
  );
  close(await runForward('torch.argmax(x0, dim=1)'), [3], [3, 3, 3]);
  close(
    await runForward('torch.logsumexp(x0, dim=1)'),
    [3],
    [0, 1, 2].map((r) => Math.log([0, 1, 2, 3].reduce((a, c) => a + Math.exp(at(r, c)), 0))),
  );
  close(
    await runForward('torch.cumsum(x0, dim=1)'),
    [3, 4],
    grid(3, 4, (r, c) => [0, 1, 2, 3].filter((k) => k <= c).reduce((a, k) => a + at(r, k), 0)),
  );
});

test('adaptive average pooling with overlapping windows matches torch window bounds', async () => {
  const img: RunTensor = { dtype: 'float32', shape: [1, 1, 5, 7], data: Float32Array.from({ length: 35 }, (_, i) => (i * 7) % 11) };
  const v = Array.from(img.data as Float32Array);
  const out = await runForward('F.adaptive_avg_pool2d(x0, (3, 4))', [img], ['1x1x5x7']);
  const win = (j: number, inS: number, outS: number): [number, number] => [Math.floor((j * inS) / outS), Math.ceil(((j + 1) * inS) / outS)];
  const expected = grid(3, 4, (r, c) => {
    const [r0, r1] = win(r, 5, 3);
    const [c0, c1] = win(c, 7, 4);
    let s = 0;
    for (let i = r0; i < r1; i++) for (let k = c0; k < c1; k++) s += v[i * 7 + k]!;
    return s / ((r1 - r0) * (c1 - c0));
  });
  close(out, [1, 1, 3, 4], expected);
});

test('random tensors are refused with the op named', async () => {
  await assert.rejects(runForward('x0 + torch.randn(3, 4)'), (e: unknown) => e instanceof OnnxExportError && /torch\.randn/.test(e.message));
});

test('einsum, addmm, outer, dot', async () => {
  const A: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  const B: RunTensor = { dtype: 'float32', shape: [3, 2], data: Float32Array.from([1, -1, 0, 2, 3, 1]) };
  const prod = [1 * 1 + 2 * 0 + 3 * 3, -1 + 4 + 3, 4 + 0 + 18, -4 + 10 + 6];
  close(await runForward("torch.einsum('ij,jk->ik', x0, x1)", [A, B], ['2x3', '3x2']), [2, 2], prod);
  close(await runForward("torch.einsum('ij->j', x0)", [A], ['2x3']), [3], [5, 7, 9]);
  const C: RunTensor = { dtype: 'float32', shape: [2, 2], data: Float32Array.from([1, 1, 1, 1]) };
  close(
    await runForward('torch.addmm(x2, x0, x1, beta=0.5, alpha=2.0)', [A, B, C], ['2x3', '3x2', '2x2']),
    [2, 2],
    prod.map((v) => 2 * v + 0.5),
  );
  const u: RunTensor = { dtype: 'float32', shape: [3], data: Float32Array.from([1, 2, 3]) };
  const w: RunTensor = { dtype: 'float32', shape: [3], data: Float32Array.from([4, 5, 6]) };
  close(await runForward('torch.outer(x0, x1)', [u, w], ['3', '3']), [3, 3], [4, 5, 6, 8, 10, 12, 12, 15, 18]);
  close(await runForward('torch.dot(x0, x1)', [u, w], ['3', '3']), [], [32]);
});

/** torch.nn.LSTM / GRU reference for one layer, one direction, batch_first input [N, T, I]. */
function recurrentReference(mode: 'LSTM' | 'GRU', x: number[][][], w: Map<string, Float32Array>, hidden: number): { out: number[]; h: number[]; c: number[] } {
  const wih = w.get('rnn.weight_ih_l0')!;
  const whh = w.get('rnn.weight_hh_l0')!;
  const bih = w.get('rnn.bias_ih_l0')!;
  const bhh = w.get('rnn.bias_hh_l0')!;
  const inSize = x[0]![0]!.length;
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const out: number[] = [];
  const hN: number[] = [];
  const cN: number[] = [];
  const gates = mode === 'LSTM' ? 4 : 3;
  for (const seq of x) {
    let h = Array(hidden).fill(0);
    let c = Array(hidden).fill(0);
    const rows: number[][] = [];
    for (const xt of seq) {
      const gi = Array.from({ length: gates * hidden }, (_, r) => bih[r]! + xt.reduce((a, v, k) => a + wih[r * inSize + k]! * v, 0));
      const gh = Array.from({ length: gates * hidden }, (_, r) => bhh[r]! + h.reduce((a, v, k) => a + whh[r * hidden + k]! * v, 0));
      const g = (k: number, j: number, src: number[]): number => src[k * hidden + j]!;
      if (mode === 'LSTM') {
        const nc = c.map((cv, j) => sig(g(1, j, gi) + g(1, j, gh)) * cv + sig(g(0, j, gi) + g(0, j, gh)) * Math.tanh(g(2, j, gi) + g(2, j, gh)));
        h = nc.map((cv, j) => sig(g(3, j, gi) + g(3, j, gh)) * Math.tanh(cv));
        c = nc;
      } else {
        const r = h.map((_, j) => sig(g(0, j, gi) + g(0, j, gh)));
        const z = h.map((_, j) => sig(g(1, j, gi) + g(1, j, gh)));
        const n = h.map((_, j) => Math.tanh(g(2, j, gi) + r[j]! * g(2, j, gh)));
        h = h.map((hv, j) => (1 - z[j]!) * n[j]! + z[j]! * hv);
      }
      rows.push([...h]);
    }
    out.push(...rows.flat());
    hN.push(...h);
    cN.push(...c);
  }
  return { out, h: hN, c: cN };
}

test('LSTM and GRU (batch_first) match a direct implementation of torch semantics', async () => {
  await initTestParser();
  for (const mode of ['LSTM', 'GRU'] as const) {
    const text = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.${mode}(3, 4, batch_first=True)\n\n    def forward(self, x):\n        out, state = self.rnn(x)\n        return out\n`;
    const fa = analyzeSource({ text, file: '/tmp/r.py', models: [{ expr: 'M()', inputs: [parseInputSpec('2x5x3') as InputSpec] }] });
    const g = fa.models[0]!.graph!;
    const weights = initStateDict(g.stateDict, 3);
    const m = exportOnnx(g, { weights });
    checkModel(m.bytes);
    const x: RunTensor = { dtype: 'float32', shape: [2, 5, 3], data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)) };
    const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
    const got = (await s.run({ 'input.0': x }))['output.0']!;
    await s.dispose();
    const xs3 = [0, 1].map((b) => [0, 1, 2, 3, 4].map((t) => [0, 1, 2].map((k) => (x.data as Float32Array)[b * 15 + t * 3 + k]!)));
    const ref = recurrentReference(mode, xs3, weights as Map<string, Float32Array>, 4);
    close(got, [2, 5, 4], ref.out, 1e-5);
  }
});

test('a 2-layer bidirectional LSTM with initial states exports with torch-shaped outputs and states', async () => {
  await initTestParser();
  const text = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.LSTM(3, 4, num_layers=2, bidirectional=True)\n\n    def forward(self, x, h0, c0):\n        out, (h, c) = self.rnn(x, (h0, c0))\n        return out, h, c\n`;
  const fa = analyzeSource({
    text,
    file: '/tmp/r2.py',
    models: [{ expr: 'M()', inputs: ['5x2x3', '4x2x4', '4x2x4'].map((t) => parseInputSpec(t) as InputSpec) }],
  });
  const g = fa.models[0]!.graph!;
  const m = exportOnnx(g, { weights: initStateDict(g.stateDict, 1) });
  checkModel(m.bytes);
  const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
  const t = (shape: number[]): RunTensor => ({
    dtype: 'float32',
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i)),
  });
  const out = await s.run({ 'input.0': t([5, 2, 3]), 'input.1': t([4, 2, 4]), 'input.2': t([4, 2, 4]) });
  await s.dispose();
  assert.deepEqual(out['output.0']!.shape, [5, 2, 8]);
  assert.deepEqual(out['output.1']!.shape, [4, 2, 4]);
  assert.deepEqual(out['output.2']!.shape, [4, 2, 4]);
  // The last layer's forward h_n is the forward half of the output at the last step.
  const o = out['output.0']!.data as Float32Array;
  const h = out['output.1']!.data as Float32Array;
  for (let b = 0; b < 2; b++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(h[2 * 8 + b * 4 + j]! - o[4 * 16 + b * 8 + j]!) < 1e-6);
});

test('topk, sort, argsort, all, any', async () => {
  const v: RunTensor = { dtype: 'float32', shape: [2, 4], data: Float32Array.from([3, -1, 7, 0, 2, 9, -4, 5]) };
  close(await runForward('torch.topk(x0, 2, dim=1)[0]', [v], ['2x4']), [2, 2], [7, 3, 9, 5]);
  close(await runForward('torch.topk(x0, 2, dim=1, largest=False)[1]', [v], ['2x4']), [2, 2], [1, 3, 2, 0]);
  close(await runForward('torch.sort(x0, dim=1, descending=True)[0]', [v], ['2x4']), [2, 4], [7, 3, 0, -1, 9, 5, 2, -4]);
  close(await runForward('torch.argsort(x0, dim=1)', [v], ['2x4']), [2, 4], [1, 3, 0, 2, 2, 0, 3, 1]);
  close(await runForward('(x0 > 0).all(dim=1).float()', [v], ['2x4']), [2], [0, 0]);
  close(await runForward('(x0 > -2).all(dim=1).float()', [v], ['2x4']), [2], [1, 0]);
  close(await runForward('torch.any(x0 > 8, dim=1).float()', [v], ['2x4']), [2], [0, 1]);
});

test('cosine similarity, pairwise distance, local response norm', async () => {
  const a: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 2, 0, 3, 4]) };
  const b: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([2, 0, 1, 0, 3, -4]) };
  close(await runForward('F.cosine_similarity(x0, x1)', [a, b], ['2x3', '2x3']), [2], [4 / (3 * Math.sqrt(5)), -7 / 25]);
  const d = (u: number[], v: number[]): number => Math.sqrt(u.reduce((s, x, i) => s + (x - v[i]! + 1e-6) ** 2, 0));
  close(await runForward('F.pairwise_distance(x0, x1)', [a, b], ['2x3', '2x3']), [2], [d([1, 2, 2], [2, 0, 1]), d([0, 3, 4], [0, 3, -4])]);
  const img: RunTensor = { dtype: 'float32', shape: [1, 4, 1, 1], data: Float32Array.from([1, 2, 3, 4]) };
  const sq = [1, 4, 9, 16];
  const lrn = [0, 1, 2, 3].map((c) => {
    const s = [c - 1, c, c + 1].filter((k) => k >= 0 && k < 4).reduce((acc, k) => acc + sq[k]!, 0);
    return (c + 1) / (2 + (0.1 / 3) * s) ** 0.75;
  });
  close(await runForward('nn.LocalResponseNorm(3, alpha=0.1, beta=0.75, k=2.0)(x0)', [img], ['1x4x1x1']), [1, 4, 1, 1], lrn);
});

test('LSTMCell and GRUCell steps equal the sequence ops over one step', async () => {
  await initTestParser();
  for (const mode of ['LSTM', 'GRU'] as const) {
    const text = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.${mode}Cell(3, 4)\n\n    def forward(self, x):\n        s = self.rnn(x)\n        return s[0] if isinstance(s, tuple) else s\n`;
    const fa = analyzeSource({ text, file: '/tmp/c.py', models: [{ expr: 'M()', inputs: [parseInputSpec('2x3') as InputSpec] }] });
    const g = fa.models[0]?.graph;
    assert.ok(g, fa.models[0]?.diagnostics.map((d) => d.message).join('; '));
    // The cell's tensors are named like layer 0 of the sequence module, so the same reference applies.
    const weights = initStateDict(g.stateDict, 5);
    const m = exportOnnx(g, { weights });
    checkModel(m.bytes);
    const x: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0.5, -1, 2, 1, 0, -0.5]) };
    const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
    const got = (await s.run({ 'input.0': x }))['output.0']!;
    await s.dispose();
    const renamed = new Map([...weights].map(([k, v]) => [k.replace(/^rnn\.(weight|bias)_(ih|hh)$/, 'rnn.$1_$2_l0'), v as Float32Array]));
    const ref = recurrentReference(mode, [[[0.5, -1, 2]], [[1, 0, -0.5]]], renamed, 4);
    close(got, [2, 4], ref.h, 1e-5);
  }
});

test('rrelu (eval), nansum/nanmean, median, channel_shuffle, scatter_add, grid_sample', async () => {
  close(
    await runForward('F.rrelu(x0, 0.1, 0.3)'),
    [3, 4],
    xs.map((v) => (v >= 0 ? v : 0.2 * v)),
  );
  const n: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, NaN, 3, NaN, NaN, 4]) };
  close(await runForward('torch.nansum(x0, dim=1)', [n], ['2x3']), [2], [4, 4]);
  close(await runForward('torch.nanmean(x0, dim=1)', [n], ['2x3']), [2], [2, 4]);
  const m: RunTensor = { dtype: 'float32', shape: [2, 4], data: Float32Array.from([3, -1, 7, 0, 2, 9, -4, 5]) };
  close(await runForward('torch.median(x0, dim=1)[0]', [m], ['2x4']), [2], [0, 2]);
  close(await runForward('torch.median(x0, dim=1)[1]', [m], ['2x4']), [2], [3, 0]);
  close(await runForward('torch.median(x0)', [m], ['2x4']), [], [2]);
  const c: RunTensor = { dtype: 'float32', shape: [1, 6, 1, 1], data: Float32Array.from([0, 1, 2, 3, 4, 5]) };
  close(await runForward('torch.channel_shuffle(x0, 2)', [c], ['1x6x1x1']), [1, 6, 1, 1], [0, 3, 1, 4, 2, 5]);
  const idx: RunTensor = { dtype: 'int64', shape: [1, 3], data: BigInt64Array.from([0n, 1n, 0n]) };
  close(
    await runForward(
      'torch.zeros(2, 3).scatter_add(0, x1, x0)',
      [{ dtype: 'float32', shape: [1, 3], data: Float32Array.from([1, 2, 3]) }, idx],
      ['1x3', '1x3:int64'],
    ),
    [2, 3],
    [1, 0, 3, 0, 2, 0],
  );
  const img: RunTensor = { dtype: 'float32', shape: [1, 1, 2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  const grid: RunTensor = { dtype: 'float32', shape: [1, 2, 3, 2], data: Float32Array.from([-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1]) };
  close(await runForward('F.grid_sample(x0, x1, align_corners=True)', [img, grid], ['1x1x2x3', '1x2x3x2']), [1, 1, 2, 3], [1, 2, 3, 4, 5, 6]);
});

test('unfold (im2col) and Bilinear', async () => {
  const img: RunTensor = { dtype: 'float32', shape: [1, 2, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => i) };
  // kernel 2, stride 1: L = 4 patches; row c·4 + i·2 + j holds x[c, r + i, q + j] for patch (r, q).
  const expected: number[] = [];
  for (let c = 0; c < 2; c++)
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) for (let r = 0; r < 2; r++) for (let q = 0; q < 2; q++) expected.push(c * 9 + (r + i) * 3 + (q + j));
  close(await runForward('F.unfold(x0, kernel_size=2)', [img], ['1x2x3x3']), [1, 8, 4], expected);
  await initTestParser();
  const text = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.bil = nn.Bilinear(2, 3, 2)\n\n    def forward(self, a, b):\n        return self.bil(a, b)\n`;
  const fa = analyzeSource({ text, file: '/tmp/b.py', models: [{ expr: 'M()', inputs: ['4x2', '4x3'].map((t) => parseInputSpec(t) as InputSpec) }] });
  const g = fa.models[0]!.graph!;
  const weights = initStateDict(g.stateDict, 2);
  const m = exportOnnx(g, { weights });
  checkModel(m.bytes);
  const A = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i));
  const B = Float32Array.from({ length: 12 }, (_, i) => Math.cos(i));
  const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
  const got = (await s.run({ 'input.0': { dtype: 'float32', shape: [4, 2], data: A }, 'input.1': { dtype: 'float32', shape: [4, 3], data: B } }))['output.0']!;
  await s.dispose();
  const W = weights.get('bil.weight') as Float32Array;
  const bias = weights.get('bil.bias') as Float32Array;
  const ref: number[] = [];
  for (let b = 0; b < 4; b++)
    for (let o = 0; o < 2; o++) {
      let v = bias[o]!;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) v += A[b * 2 + i]! * W[o * 6 + i * 3 + j]! * B[b * 3 + j]!;
      ref.push(v);
    }
  close(got, [4, 2], ref);
});

test('losses: mse, l1, smooth_l1, bce, bce_with_logits, kl_div, cross_entropy, nll', async () => {
  const p: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0.2, 0.9, 0.5, 0.7, 0.1, 0.4]) };
  const q: RunTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0, 1, 1, 1, 0, 0]) };
  const pv = Array.from(p.data as Float32Array);
  const qv = Array.from(q.data as Float32Array);
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  const sum = (a: number[]): number => a.reduce((s, v) => s + v, 0);
  const specs = ['2x3', '2x3'];
  close(await runForward('F.mse_loss(x0, x1)', [p, q], specs), [], [mean(pv.map((v, i) => (v - qv[i]!) ** 2))]);
  close(await runForward("F.l1_loss(x0, x1, reduction='sum')", [p, q], specs), [], [sum(pv.map((v, i) => Math.abs(v - qv[i]!)))]);
  close(
    await runForward("F.smooth_l1_loss(x0, x1, reduction='none', beta=0.5)", [p, q], specs),
    [2, 3],
    pv.map((v, i) => {
      const d = Math.abs(v - qv[i]!);
      return d < 0.5 ? (0.5 * d * d) / 0.5 : d - 0.25;
    }),
  );
  close(
    await runForward('F.binary_cross_entropy(x0, x1)', [p, q], specs),
    [],
    [mean(pv.map((v, i) => -(qv[i]! * Math.log(v) + (1 - qv[i]!) * Math.log(1 - v))))],
  );
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  close(
    await runForward('F.binary_cross_entropy_with_logits(x0, x1)', [p, q], specs),
    [],
    [mean(pv.map((v, i) => -(qv[i]! * Math.log(sig(v)) + (1 - qv[i]!) * Math.log(1 - sig(v)))))],
  );
  close(
    await runForward("F.kl_div(x0, x1, reduction='sum')", [p, q], specs),
    [],
    [sum(pv.map((v, i) => (qv[i]! > 0 ? qv[i]! * Math.log(qv[i]!) : 0) - qv[i]! * v))],
  );
  const target: RunTensor = { dtype: 'int64', shape: [2], data: BigInt64Array.from([1n, 0n]) };
  const lse = (r: number): number => Math.log(sum([0, 1, 2].map((k) => Math.exp(pv[r * 3 + k]!))));
  close(await runForward('F.cross_entropy(x0, x1)', [p, target], ['2x3', '2:int64']), [], [mean([lse(0) - pv[1]!, lse(1) - pv[3]!])]);
  close(await runForward("F.nll_loss(x0, x1, reduction='sum')", [p, target], ['2x3', '2:int64']), [], [-(pv[1]! + pv[3]!)]);
});

test('atan2, meshgrid, Tensor.unfold', async () => {
  const y: RunTensor = { dtype: 'float32', shape: [6], data: Float32Array.from([1, 1, -1, -1, 1, 0]) };
  const x: RunTensor = { dtype: 'float32', shape: [6], data: Float32Array.from([1, -1, -1, 1, 0, -2]) };
  const yv = Array.from(y.data as Float32Array);
  const xv = Array.from(x.data as Float32Array);
  close(
    await runForward('torch.atan2(x0, x1)', [y, x], ['6', '6']),
    [6],
    yv.map((v, i) => Math.atan2(v, xv[i]!)),
  );
  const a: RunTensor = { dtype: 'float32', shape: [2], data: Float32Array.from([1, 2]) };
  const b: RunTensor = { dtype: 'float32', shape: [3], data: Float32Array.from([5, 6, 7]) };
  close(await runForward("torch.meshgrid(x0, x1, indexing='ij')[1]", [a, b], ['2', '3']), [2, 3], [5, 6, 7, 5, 6, 7]);
  close(await runForward("torch.meshgrid(x0, x1, indexing='xy')[0]", [a, b], ['2', '3']), [3, 2], [1, 2, 1, 2, 1, 2]);
  close(
    await runForward('x0.unfold(1, 2, 2)'),
    [3, 2, 2],
    grid(3, 4, (r, c) => at(r, c)),
  );
  close(
    await runForward('x0.unfold(0, 2, 1)'),
    [2, 4, 2],
    [0, 1].flatMap((w) => [0, 1, 2, 3].flatMap((c) => [at(w, c), at(w + 1, c)])),
  );
});

test('cdist and affine_grid (+ grid_sample round trip)', async () => {
  const a: RunTensor = { dtype: 'float32', shape: [2, 2], data: Float32Array.from([0, 0, 3, 4]) };
  const b: RunTensor = { dtype: 'float32', shape: [3, 2], data: Float32Array.from([0, 0, 1, 1, 3, 0]) };
  close(await runForward('torch.cdist(x0, x1)', [a, b], ['2x2', '3x2']), [2, 3], [0, Math.SQRT2, 3, 5, Math.sqrt(13), 4]);
  close(await runForward('torch.cdist(x0, x1, p=1.0)', [a, b], ['2x2', '3x2']), [2, 3], [0, 2, 3, 7, 5, 4]);
  // The identity transform samples every pixel at its own centre: grid_sample gives the image back.
  const theta: RunTensor = { dtype: 'float32', shape: [1, 2, 3], data: Float32Array.from([1, 0, 0, 0, 1, 0]) };
  const img: RunTensor = { dtype: 'float32', shape: [1, 1, 2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  close(
    await runForward('F.grid_sample(x1, F.affine_grid(x0, [1, 1, 2, 3], align_corners=False), align_corners=False)', [theta, img], ['1x2x3', '1x1x2x3']),
    [1, 1, 2, 3],
    [1, 2, 3, 4, 5, 6],
  );
  close(await runForward('F.affine_grid(x0, [1, 1, 2, 3], align_corners=True)', [theta], ['1x2x3']), [1, 2, 3, 2], [-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1]);
});

test('diff, tensor_split and pow(Number, Tensor)', async () => {
  close(
    await runForward('torch.diff(x0)'),
    [3, 3],
    grid(3, 3, (r, c) => at(r, c + 1) - at(r, c)),
  );
  // prepend joins x0 before itself along dim 0 (rows 0..5 cycle through x0's rows); two rounds of differences.
  const row = (r: number, c: number): number => at(r % 3, c);
  const d1 = (r: number, c: number): number => row(r + 1, c) - row(r, c);
  close(
    await runForward('torch.diff(x0, n=2, dim=0, prepend=x0)'),
    [4, 4],
    grid(4, 4, (r, c) => d1(r + 1, c) - d1(r, c)),
  );
  close(await runForward('x0.diff(5, 1)'), [3, 0], []);
  close(
    await runForward('torch.tensor_split(x0, 3, 1)[0]'),
    [3, 2],
    grid(3, 2, (r, c) => at(r, c)),
  );
  close(
    await runForward('torch.tensor_split(x0, indices=(1,), dim=1)[1]'),
    [3, 3],
    grid(3, 3, (r, c) => at(r, c + 1)),
  );
  // Unordered indices: pieces [:3], [3:1] (empty) and [1:], joined again.
  close(
    await runForward('torch.cat(torch.tensor_split(x0, [3, 1], 1), 1)'),
    [3, 6],
    grid(3, 6, (r, c) => (c < 3 ? at(r, c) : at(r, c - 2))),
  );
  close(
    await runForward('torch.pow(2.0, x0)'),
    [3, 4],
    grid(3, 4, (r, c) => 2 ** at(r, c)),
  );
});
