// A pickle interpreter over opcodes (protocols 0–5) that only builds data: every opcode checks its operands, nothing is called.
import { applyGlobal, PickleError, resolveGlobal, type CallContext } from './pickleGlobals';
import { describe, isHashable, MarkValue, PyDict, PyGlobal, PyList, PyObject, PySet, PyTuple, TorchTensor, type PyValue } from './pickleValues';

export interface PickleLimits {
  /** Values on the stack at once. */
  readonly maxStack: number;
  /** Memo entries. */
  readonly maxMemo: number;
  /** Open MARKs at once (nesting of tuples, lists and dicts being built). */
  readonly maxMarks: number;
  /** Container items and objects built in total. */
  readonly maxValues: number;
  /** Digits of one Python long. */
  readonly maxLongBytes: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = {
  maxStack: 1_000_000,
  maxMemo: 1_000_000,
  maxMarks: 1000,
  maxValues: 20_000_000,
  maxLongBytes: 1024,
};

export interface PickleOptions {
  readonly limits?: PickleLimits;
  /** Resolves a persistent id (torch's storages); the reader validates it. */
  readonly persistentLoad?: (pid: PyValue) => PyValue;
  /** Where the pickle came from, for messages. */
  readonly source?: string;
}

export interface PickleResult {
  readonly value: PyValue;
  /** Placeholders made for globals outside the allow-list, by qualified name (each once). */
  readonly placeholders: readonly string[];
  /** Bytes of the input the pickle used (up to and including STOP). */
  readonly consumed: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs the pickle in `bytes` from `start` to its STOP and returns the value it built. */
export function loadPickle(bytes: Uint8Array, start = 0, options: PickleOptions = {}): PickleResult {
  const limits = options.limits ?? DEFAULT_PICKLE_LIMITS;
  const source = options.source ?? 'pickle';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  let stack: PyValue[] = [];
  const marks: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  const placeholders = new Set<string>();
  let built = 0;
  const ctx: CallContext = { warn: (what) => void placeholders.add(what) };

  const fail = (msg: string): never => {
    throw new PickleError(`${source}: ${msg} (at byte ${pos})`);
  };
  const need = (n: number): void => {
    if (n < 0 || pos + n > bytes.length) fail(`truncated: ${n} bytes needed, ${bytes.length - pos} left`);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u8 = (): number => (need(1), bytes[pos++]!);
  const u16 = (): number => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = (): number => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = (): number => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) fail(`length ${v} exceeds the ${bytes.length}-byte input`);
    return Number(v);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated: a text argument has no newline');
    const s = latin1(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const count = (n = 1): void => {
    built += n;
    if (built > limits.maxValues) fail(`builds more than ${limits.maxValues} values`);
  };
  const push = (v: PyValue): void => {
    if (stack.length >= limits.maxStack) fail(`stack deeper than ${limits.maxStack}`);
    stack.push(v);
  };
  const pop = (): PyValue => {
    if (stack.length === 0) fail('pop from an empty stack');
    const v = stack.pop()!;
    if (v instanceof MarkValue) fail('pop of a MARK');
    return v;
  };
  const top = (): PyValue => {
    if (stack.length === 0) fail('the stack is empty');
    const v = stack[stack.length - 1]!;
    if (v instanceof MarkValue) fail('the top of the stack is a MARK');
    return v;
  };
  const popMark = (): PyValue[] => {
    if (marks.length === 0) fail('no MARK to pop to');
    const items = stack;
    stack = marks.pop()!;
    return items;
  };
  const setMemo = (k: number, v: PyValue): void => {
    if (!memo.has(k) && memo.size >= limits.maxMemo) fail(`memo larger than ${limits.maxMemo}`);
    memo.set(k, v);
  };
  const getMemo = (k: number): void => {
    if (!memo.has(k)) fail(`memo key ${k} is not set`);
    push(memo.get(k)!);
  };
  const appendTo = (target: PyValue, items: PyValue[]): void => {
    count(items.length);
    if (target instanceof PyList) {
      for (const it of items) target.items.push(it);
    } else if (target instanceof PyObject) {
      for (const it of items) target.items.push(it);
    } else fail(`APPEND on ${describe(target)}, not a list`);
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (items.length % 2) fail('SETITEMS with an odd number of stack items');
    count(items.length / 2);
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i]!;
      if (!isHashable(k)) fail(`dict key ${describe(k)} is unhashable`);
      if (target instanceof PyDict) target.set(k, items[i + 1]!);
      else if (target instanceof PyObject) target.dictItems.push([k, items[i + 1]!]);
      else fail(`SETITEM on ${describe(target)}, not a dict`);
    }
  };
  const reduce = (callable: PyValue, args: PyValue): void => {
    if (!(args instanceof PyTuple)) fail(`arguments of ${describe(callable)} are ${describe(args)}, not a tuple`);
    count();
    try {
      push(applyGlobal(callable, (args as PyTuple).items, ctx));
    } catch (e) {
      if (e instanceof PickleError) fail(e.message);
      throw e;
    }
  };
  const global = (module: string, name: string): void => {
    if (!/^[A-Za-z_][\w.]*$/.test(module) || !/^[A-Za-z_][\w.]*$/.test(name)) fail(`global ${JSON.stringify(`${module} ${name}`)} is not a dotted name`);
    push(resolveGlobal(module, name));
  };

  for (;;) {
    if (pos >= bytes.length) fail('ended without STOP');
    const op = bytes[pos++]!;
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail(`protocol ${bytes[pos - 1]} is newer than 5`);
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        if (marks.length) fail('STOP inside an open MARK');
        return { value: pop(), placeholders: [...placeholders], consumed: pos - start };
      case 0x28: // MARK
        if (marks.length >= limits.maxMarks) fail(`nesting deeper than ${limits.maxMarks} MARKs`);
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length === 0) {
          if (marks.length === 0) fail('POP from an empty stack');
          popMark(); // Python pops a MARK that is on top
        } else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4a: // BININT
        push(i32());
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x49: {
        // INT (text; "00"/"01" are False/True)
        const s = line().trim();
        if (s === '00' || s === '01') push(s === '01');
        else push(parseIntText(s, limits.maxLongBytes, fail));
        break;
      }
      case 0x4c: // LONG (text)
        push(parseIntText(line().trim().replace(/L$/, ''), limits.maxLongBytes, fail));
        break;
      case 0x8a: // LONG1
        push(longBytes(take(u8()), limits.maxLongBytes, fail));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0) fail('negative LONG4 length');
        push(longBytes(take(n), limits.maxLongBytes, fail));
        break;
      }
      case 0x46: {
        // FLOAT (text)
        const s = line().trim();
        const v = Number(s);
        if (Number.isNaN(v) && !/^[+-]?nan$/i.test(s)) fail(`FLOAT ${JSON.stringify(s)} is not a number`);
        push(v);
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x53: // STRING (text, quoted)
        push(latin1(unquote(line(), fail)));
        break;
      case 0x54: {
        // BINSTRING
        const n = i32();
        if (n < 0) fail('negative BINSTRING length');
        push(latin1(take(n)));
        break;
      }
      case 0x55: // SHORT_BINSTRING
        push(latin1(take(u8())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        push(rawUnicodeEscape(line()));
        break;
      case 0x58: // BINUNICODE
        push(decodeUtf8(take(u32()), fail));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(decodeUtf8(take(u8()), fail));
        break;
      case 0x8d: // BINUNICODE8
        push(decodeUtf8(take(u64()), fail));
        break;
      case 0x42: // BINBYTES
        push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        push(take(u64()).slice());
        break;
      case 0x96: // BYTEARRAY8
        push(take(u64()).slice());
        break;
      case 0x97: // NEXT_BUFFER
        fail('out-of-band buffers (NEXT_BUFFER) are not read');
        break;
      case 0x98: // READONLY_BUFFER
        top();
        break;
      case 0x29: // EMPTY_TUPLE
        push(new PyTuple([]));
        break;
      case 0x85: // TUPLE1
        push(new PyTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x74: {
        // TUPLE
        const items = popMark();
        count(items.length);
        push(new PyTuple(items));
        break;
      }
      case 0x5d: // EMPTY_LIST
        count();
        push(new PyList());
        break;
      case 0x6c: {
        // LIST
        const items = popMark();
        count(items.length);
        push(new PyList(items));
        break;
      }
      case 0x7d: // EMPTY_DICT
        count();
        push(new PyDict());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new PyDict();
        setItems(d, items);
        push(d);
        break;
      }
      case 0x8f: // EMPTY_SET
        count();
        push(new PySet());
        break;
      case 0x91: {
        // FROZENSET
        const items = popMark();
        count(items.length);
        for (const it of items) if (!isHashable(it)) fail(`set item ${describe(it)} is unhashable`);
        push(new PySet(items, true));
        break;
      }
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const target = top();
        if (!(target instanceof PySet) || target.frozen) fail(`ADDITEMS on ${describe(target)}, not a set`);
        count(items.length);
        for (const it of items) {
          if (!isHashable(it)) fail(`set item ${describe(it)} is unhashable`);
          (target as PySet).items.push(it);
        }
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        appendTo(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendTo(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x67: // GET
        getMemo(parseMemoKey(line(), fail));
        break;
      case 0x68: // BINGET
        getMemo(u8());
        break;
      case 0x6a: // LONG_BINGET
        getMemo(u32());
        break;
      case 0x70: // PUT
        setMemo(parseMemoKey(line(), fail), top());
        break;
      case 0x71: // BINPUT
        setMemo(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        setMemo(u32(), top());
        break;
      case 0x94: // MEMOIZE
        setMemo(memo.size, top());
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        global(module, line());
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        global(module as string, name as string);
        break;
      }
      case 0x82:
      case 0x83:
      case 0x84: // EXT1/2/4
        fail('extension-registry globals (EXT1/2/4) are not read');
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        reduce(pop(), args);
        break;
      }
      case 0x81: {
        // NEWOBJ cls.__new__(cls, *args)
        const args = pop();
        reduce(pop(), args);
        break;
      }
      case 0x92: {
        // NEWOBJ_EX cls.__new__(cls, *args, **kwargs)
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!(kwargs instanceof PyDict)) fail(`NEWOBJ_EX keyword arguments are ${describe(kwargs)}, not a dict`);
        if ((kwargs as PyDict).size > 0 && !(cls instanceof PyGlobal)) fail('keyword arguments are only kept for placeholders');
        reduce(cls, args);
        break;
      }
      case 0x69: {
        // INST "module\nname\n" with MARKed args
        const module = line();
        const name = line();
        const items = popMark();
        global(module, name);
        reduce(pop(), new PyTuple(items));
        break;
      }
      case 0x6f: {
        // OBJ: MARK cls args… OBJ
        const items = popMark();
        if (items.length === 0) fail('OBJ without a class');
        reduce(items[0]!, new PyTuple(items.slice(1)));
        break;
      }
      case 0x62: {
        // BUILD: only sets state on placeholders and dict attributes; never calls __setstate__
        const state = pop();
        build(top(), state, fail);
        break;
      }
      case 0x50: // PERSID
      case 0x51: {
        // BINPERSID
        const pid = op === 0x50 ? line() : pop();
        if (!options.persistentLoad) fail('persistent id in a pickle that has no storages');
        try {
          push(options.persistentLoad!(pid));
        } catch (e) {
          if (e instanceof PickleError) fail(e.message);
          throw e;
        }
        break;
      }
      default:
        fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

function build(target: PyValue, state: PyValue, fail: (m: string) => never): void {
  if (target instanceof PyObject) {
    target.state = state;
    return;
  }
  if (target instanceof PyDict) {
    // An OrderedDict with an instance __dict__ (a state_dict's `_metadata`): state or (None, state)
    const attrs = state instanceof PyTuple && state.items.length === 2 && state.items[0] === null ? state.items[1]! : state;
    if (!(attrs instanceof PyDict)) fail(`BUILD on a dict with state ${describe(state)}, not a dict`);
    target.attrs = attrs as PyDict;
    return;
  }
  if (target instanceof TorchTensor) {
    // _rebuild_parameter_with_state / tensor subclasses: attribute state of a tensor is kept out of the data
    if (state === null || state instanceof PyDict || state instanceof PyTuple) return;
  }
  fail(`BUILD on ${describe(target)}: state can only be set on placeholder objects`);
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function decodeUtf8(b: Uint8Array, fail: (m: string) => never): string {
  try {
    return utf8.decode(b);
  } catch {
    return fail('string is not valid UTF-8');
  }
}

function parseMemoKey(s: string, fail: (m: string) => never): number {
  const k = Number(s.trim());
  if (!Number.isSafeInteger(k) || k < 0) fail(`memo key ${JSON.stringify(s)} is not a non-negative integer`);
  return k;
}

function parseIntText(s: string, maxLen: number, fail: (m: string) => never): number | bigint {
  if (s.length > maxLen * 3 || !/^[+-]?\d+$/.test(s)) fail(`integer ${JSON.stringify(s.slice(0, 40))} is not read`);
  const b = BigInt(s);
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

/** Little-endian two's-complement bytes of LONG1 / LONG4. */
function longBytes(b: Uint8Array, maxLen: number, fail: (m: string) => never): number | bigint {
  if (b.length > maxLen) fail(`a ${b.length}-byte integer is longer than ${maxLen} bytes`);
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return Number.isSafeInteger(Number(v)) ? Number(v) : v;
}

/** Protocol 0 STRING: a Python bytes literal in quotes with backslash escapes. */
function unquote(s: string, fail: (m: string) => never): Uint8Array {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) fail('STRING argument is not quoted');
  const body = s.slice(1, -1);
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '0': 0 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const e = body[++i];
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e !== undefined && simple[e] !== undefined) out.push(simple[e]!);
    else fail('STRING argument has an unknown escape');
  }
  return Uint8Array.from(out);
}

function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a?: string, b?: string) => {
    const cp = parseInt((a ?? b)!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  });
}
