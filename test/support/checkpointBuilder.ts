// Test helpers that assemble pickles, torch zip checkpoints and legacy checkpoints byte by byte (hostile ones included).

/** Opcode-level pickle writer. */
export class PickleWriter {
  private readonly parts: number[] = [];
  proto(n = 2): this {
    return this.raw(0x80, n);
  }
  raw(...bytes: number[]): this {
    this.parts.push(...bytes);
    return this;
  }
  op(ch: string): this {
    return this.raw(ch.charCodeAt(0));
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    this.raw(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24);
    return this.raw(...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.raw(0x4b, n);
    return this.raw(0x4a, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
  }
  global(module: string, name: string): this {
    return this.raw(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }
  tuple(...items: ((w: this) => void)[]): this {
    this.op('(');
    for (const i of items) i(this);
    return this.op('t');
  }
  /** `_rebuild_tensor_v2(storage(key, numel), offset, shape, stride, False, OrderedDict())` */
  tensor(key: string, numel: number, shape: number[], stride: number[], offset = 0, storage = 'FloatStorage'): this {
    this.global('torch._utils', '_rebuild_tensor_v2').op('(');
    this.tuple(
      (w) => w.str('storage'),
      (w) => w.global('torch', storage),
      (w) => w.str(key),
      (w) => w.str('cpu'),
      (w) => w.int(numel),
    ).raw(0x51);
    this.int(offset);
    this.tuple(...shape.map((d) => (w: this) => w.int(d)));
    this.tuple(...stride.map((d) => (w: this) => w.int(d)));
    this.raw(0x89).global('collections', 'OrderedDict').op(')').op('R');
    return this.op('t').op('R');
  }
  stop(): Uint8Array {
    return Uint8Array.from([...this.parts, 0x2e]);
  }
}

/** A state dict `{name: tensor}` of contiguous float32 tensors, one storage each (keys '0', '1', …). */
export function stateDictPickle(tensors: [string, number[]][], protocol = 2): Uint8Array {
  const w = new PickleWriter().proto(protocol).op('}').op('(');
  tensors.forEach(([name, shape], i) => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const stride = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    w.str(name).tensor(String(i), numel, shape, stride);
  });
  return w.op('u').stop();
}

/**
 * A stored (or, per entry, raw-deflated) zip archive; CRCs are left 0 (the reader does not need them).
 * `align` pads each local header's extra field so entry data starts at a multiple of it (torch.save aligns to 64).
 */
export function makeZip(entries: { name: string; data: Uint8Array; deflated?: Uint8Array; declaredSize?: number }[], align = 1): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const body = e.deflated ?? e.data;
    const size = e.declaredSize ?? e.data.length;
    const pad = (align - ((offset + 30 + name.length) % align)) % align;
    const local = new Uint8Array(30 + name.length + pad);
    const lv = new DataView(local.buffer);
    lv.setUint16(28, pad, true);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(8, e.deflated ? 8 : 0, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const c = new Uint8Array(46 + name.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, e.deflated ? 8 : 0, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    c.set(name, 46);
    central.push(c);
    chunks.push(local, body);
    offset += local.length + body.length;
  }
  const dirSize = central.reduce((a, c) => a + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...central, eocd];
  const out = new Uint8Array(all.reduce((a, c) => a + c.length, 0));
  let p = 0;
  for (const c of all) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** A torch zip checkpoint of `pickle` plus storages `data/<key>`. */
export function torchZip(pickle: Uint8Array, storages: Record<string, Uint8Array> = {}): Uint8Array {
  return makeZip([
    { name: 'archive/data.pkl', data: pickle },
    ...Object.entries(storages).map(([k, data]) => ({ name: `archive/data/${k}`, data })),
    { name: 'archive/version', data: new TextEncoder().encode('3\n') },
  ]);
}

export function floatBytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
