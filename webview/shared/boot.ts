// Reads the boot configuration the host's HTML shell puts in `window.fusionLensBoot`.
import type { WebviewBoot } from '../../src/protocol';
import { readStrings } from './strings';

export function readBoot(): WebviewBoot {
  const raw = (globalThis as { fusionLensBoot?: Partial<WebviewBoot> }).fusionLensBoot ?? {};
  const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
  return {
    wasmBase: str(raw.wasmBase, './wasm/'),
    distBase: str(raw.distBase, './'),
    locale: str(raw.locale, 'en').toLowerCase(),
    strings: readStrings(raw.strings),
  };
}

/** `zh-cn` for Chinese locales, else `en`: the two languages the UI ships. */
export function uiLanguage(locale: string): 'en' | 'zh-cn' {
  return locale.startsWith('zh') ? 'zh-cn' : 'en';
}
