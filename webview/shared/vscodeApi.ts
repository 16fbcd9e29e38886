// Typed access to the VS Code webview API (postMessage, getState/setState), with an in-page stand-in outside VS Code.

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare const acquireVsCodeApi: (<S>() => VsCodeApi<S>) | undefined;

export interface WebviewHost<Out, S> {
  post(message: Out): void;
  getState(): S | undefined;
  setState(state: S): void;
}

/** acquireVsCodeApi may be called once per page; this wraps that one call. */
export function webviewHost<Out, S>(): WebviewHost<Out, S> {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi<S>();
    return { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) };
  }
  // Opened as a plain page (development preview): keep state in memory, log messages.
  let state: S | undefined;
  return { post: (m) => console.debug('[to host]', m), getState: () => state, setState: (s) => (state = s) };
}
