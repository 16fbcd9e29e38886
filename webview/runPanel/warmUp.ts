// Starts onnxruntime-web once with a one-node model, so the first real model's session time measures the model, not the wasm start-up.
import type { Runner } from '../../src/core/run/runner';

let warmed: Promise<number> | null = null;

// A minimal protobuf writer: protobufjs generates code with `new Function`, which the webview's CSP forbids.
type Field = [id: number, value: number | string | Uint8Array];

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function message(fields: readonly Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [id, v] of fields) {
    if (typeof v === 'number') bytes.push(...varint(id << 3), ...varint(v));
    else {
      const body = typeof v === 'string' ? new TextEncoder().encode(v) : v;
      bytes.push(...varint((id << 3) | 2), ...varint(body.length), ...body);
    }
  }
  return Uint8Array.from(bytes);
}

/** ONNX ModelProto of y = Identity(x), x: float32[1] (field numbers from onnx.proto). */
export function identityModel(): Uint8Array {
  const shape = message([[1, message([[1, 1]])]]);
  const type = message([
    [
      1,
      message([
        [1, 1],
        [2, shape],
      ]),
    ],
  ]);
  const valueInfo = (name: string): Uint8Array =>
    message([
      [1, name],
      [2, type],
    ]);
  const node = message([
    [1, 'x'],
    [2, 'y'],
    [4, 'Identity'],
  ]);
  const graph = message([
    [1, node],
    [2, 'warm-up'],
    [11, valueInfo('x')],
    [12, valueInfo('y')],
  ]);
  const opset = message([
    [1, ''],
    [2, 17],
  ]);
  return message([
    [1, 8],
    [7, graph],
    [8, opset],
  ]);
}

/** Milliseconds the runtime took to start (0 after the first call). */
export function warmUp(runner: Runner): Promise<number> {
  if (warmed) return warmed.then(() => 0);
  const start = (async () => {
    const t0 = performance.now();
    const s = await runner.createSession(identityModel());
    await s.dispose();
    return performance.now() - t0;
  })();
  warmed = start;
  // a failed start-up is retried on the next run
  start.catch(() => {
    if (warmed === start) warmed = null;
  });
  return start;
}
