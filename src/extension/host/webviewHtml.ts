// The HTML shell of every Fusion Lens webview: strict CSP, one nonce script from dist/webview, nothing remote.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { WebviewBoot } from '../../protocol';
import { WEBVIEW_STRINGS, type WebviewStringKey, type WebviewStrings } from '../../webviewStrings';

export interface WebviewShellOptions {
  /** Bundle name under dist/webview (`graphView`, `runPanel`). */
  readonly bundle: string;
  readonly title: string;
  /** Only the run panel runs onnxruntime-web and needs WebAssembly compilation. */
  readonly wasm: boolean;
}

/** Webviews may load files from the extension's dist/ only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, opts: WebviewShellOptions): string {
  const nonce = randomBytes(18).toString('base64');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', `${opts.bundle}.js`));
  const css = vscode.Uri.joinPath(dist, 'webview', `${opts.bundle}.css`);
  // esbuild emits a stylesheet only when the bundle imports CSS.
  const styleTag = existsSync(css.fsPath) ? `<link rel="stylesheet" href="${webview.asWebviewUri(css).toString()}">` : '';
  const src = webview.cspSource;
  const csp = [
    "default-src 'none'",
    `img-src ${src} data: blob:`,
    `style-src ${src} 'unsafe-inline'`,
    `font-src ${src}`,
    // onnxruntime-web imports its loader (dist/wasm/*.mjs) with import(), which nonces do not cover: the run panel
    // may also load scripts from the extension's own dist/ (localResourceRoots keeps everything else out).
    `script-src 'nonce-${nonce}'${opts.wasm ? ` ${src} 'wasm-unsafe-eval'` : ''}`,
    // onnxruntime-web fetches its .wasm/.mjs from dist/wasm; the graph view's layout worker is a blob.
    `connect-src ${src}`,
    `worker-src ${src} blob:`,
  ].join('; ');
  const boot: WebviewBoot = {
    wasmBase: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'wasm')).toString() + '/',
    distBase: webview.asWebviewUri(dist).toString() + '/',
    locale: vscode.env.language,
    strings: webviewStrings(),
  };
  // `<` is escaped so no string in the boot data can close the script element.
  const bootJson = JSON.stringify(boot).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleTag}
<title>${escapeAttr(opts.title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}">window.fusionLensBoot = ${bootJson};</script>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** The webviews' UI strings in VS Code's display language: each English text through vscode.l10n, like every host string. */
export function webviewStrings(): WebviewStrings {
  const out = {} as Record<WebviewStringKey, string>;
  for (const [key, text] of Object.entries(WEBVIEW_STRINGS) as [WebviewStringKey, string][]) out[key] = vscode.l10n.t(text);
  return out;
}

function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}
