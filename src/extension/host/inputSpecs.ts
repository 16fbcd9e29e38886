// Input specs chosen with Set Input Shape…, remembered per file and class in workspace state.
import * as vscode from 'vscode';

const KEY = 'fusionLens.inputSpecs';

/** `[NAME=]D0xD1x…[:DTYPE]`, several separated by commas; dims are integers or symbol names. */
const SPEC = /^\s*(?:[A-Za-z_]\w*=)?(?:\d+|[A-Za-z_]\w*)(?:x(?:\d+|[A-Za-z_]\w*))*(?::[a-z0-9]+)?\s*$/;

export function isValidSpec(text: string): boolean {
  return text.trim() !== '' && text.length <= 512 && text.split(',').every((s) => SPEC.test(s));
}

export class InputSpecMemory {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, string> {
    const v = this.state.get<unknown>(KEY);
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  }

  /** Remembered specs of one file, by class name. */
  forFile(uri: vscode.Uri): Record<string, string> {
    const prefix = `${uri.toString()}#`;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.all())) if (k.startsWith(prefix) && typeof v === 'string' && isValidSpec(v)) out[k.slice(prefix.length)] = v;
    return out;
  }

  async remember(uri: vscode.Uri, className: string, spec: string): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [`${uri.toString()}#${className}`]: spec.trim() });
  }
}
