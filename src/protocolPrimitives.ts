// The wire primitives of the protocol: the Bytes encoding (Uint8Array or base64 text) and the checks every validator is built from.

/** Binary data on a channel: a typed array where VS Code transfers it, base64 text where a channel carries only JSON. */
export type Bytes = Uint8Array | string;

export type Rec = Record<string, unknown>;
export const MAX_TEXT = 1 << 20;
export const MAX_IMAGE_TEXT = 64 << 20;

export function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function isStr(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length <= max;
}
export function isInt(v: unknown, min = 0): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
}
export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
export function isFraction(v: unknown): v is number {
  return isNum(v) && v >= 0 && v <= 1;
}
export function isBytes(v: unknown): v is Bytes {
  return v instanceof Uint8Array || (typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v));
}
export function isArrayOf<T>(v: unknown, item: (x: unknown) => x is T, max = 1 << 16): v is T[] {
  return Array.isArray(v) && v.length <= max && v.every(item);
}
export function oneOf<T extends string>(v: unknown, options: readonly T[]): v is T {
  return typeof v === 'string' && (options as readonly string[]).includes(v);
}
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export const isLog = (m: Rec): boolean => oneOf(m.level, LOG_LEVELS) && isStr(m.message, 64 * 1024);

/** One check per message `type` of a union: a missing or extra type is a compile error, so every validator is exhaustive. */
export type MessageChecks<M extends { readonly type: string }> = { readonly [K in M['type']]: (msg: Rec) => boolean };

/** The `default:` of an exhaustive switch over a message union: a compile error when a case is missing, a throw if reached. */
export function unhandled(m: never): never {
  throw new Error(`unhandled message ${JSON.stringify((m as { type?: unknown } | null)?.type ?? null)}`);
}

/** A message whose `type` is one of the table's own keys and whose fields pass that type's check. */
export function checkByType<M extends { readonly type: string }>(msg: unknown, checks: MessageChecks<M>): msg is M {
  if (!isRec(msg) || typeof msg.type !== 'string' || !Object.hasOwn(checks, msg.type)) return false;
  return checks[msg.type as M['type']](msg);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** A Uint8Array view of `Bytes` (decodes base64 text; no copy for Uint8Array). */
export function bytesOf(b: Bytes): Uint8Array {
  if (typeof b !== 'string') return b;
  const clean = b.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | B64_INDEX[clean.charCodeAt(i) & 127]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Base64 text of bytes (for JSON-only channels such as exported PNGs). */
export function base64Of(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return s;
}
