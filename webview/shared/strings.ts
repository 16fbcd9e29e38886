// The webviews' UI strings: the catalog the host sends in the boot data (translated there with vscode.l10n), read once.
import { WEBVIEW_STRINGS, type WebviewStringKey, type WebviewStrings } from '../../src/webviewStrings';

export type StringKey = WebviewStringKey;
export type Strings = WebviewStrings;

/** The boot catalog over the English texts: a missing or malformed entry keeps its English text. */
export function readStrings(catalog: unknown): Strings {
  const given = typeof catalog === 'object' && catalog !== null ? (catalog as Record<string, unknown>) : {};
  const out = { ...WEBVIEW_STRINGS } as Record<StringKey, string>;
  for (const key of Object.keys(WEBVIEW_STRINGS) as StringKey[]) {
    const v = Object.hasOwn(given, key) ? given[key] : undefined;
    if (typeof v === 'string' && v.length <= 4096) out[key] = v;
  }
  return out;
}
