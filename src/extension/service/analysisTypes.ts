// What the extension keeps per analysed document: one entry per model class, plus diagnostics.
import type { Diagnostic, ModelGraph, SourceRange } from '../../core/graph/modelGraph';
import type { PayloadFusion } from '../../protocol';

/** A fusion point as the editor prints it (hover, status bar). */
export interface FusionNote {
  readonly nodeId: string;
  readonly method: string;
  readonly line: number | null;
  /** `concat · 3 inputs: feat1 (/1, 64ch) + feat2 (/2, 128ch) + feat3 (/4, 256ch)` */
  readonly text: string;
  /** The same in Chinese, for a zh-cn UI (`拼接 · 3 个输入: …`). */
  readonly textZh: string;
}

export type SpecSource = 'comment' | 'remembered' | 'setting' | 'example' | 'layers';

export interface ModelEntry {
  readonly className: string;
  readonly nameRange: SourceRange;
  /** The whole class, to map the cursor to its model. */
  readonly classRange: SourceRange;
  /** The spec the analysis ran with, in CLI syntax (`4x3x256x256`), or null when none was found. */
  readonly inputSpec: string | null;
  readonly specSource: SpecSource | null;
  /** 0-based line of the `# fusion-lens: input=` comment above the class, when there is one. */
  readonly commentLine: number | null;
  readonly graph: ModelGraph | null;
  /** Fusion points of the graph, as the graph view shows them. */
  readonly fusion: readonly PayloadFusion[];
  readonly fusionNotes: readonly FusionNote[];
  /** Why there is no graph (unsupported construct, missing input, …). */
  readonly error: string | null;
  /** True when the class does not parse now and this entry is the last good analysis of it. */
  readonly stale: boolean;
}

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly models: readonly ModelEntry[];
  /** Engine diagnostics of all models, deduplicated, plus syntax errors. */
  readonly diagnostics: readonly Diagnostic[];
  /** Names of nn.Module classes of the file that are used as blocks of other classes. */
  readonly blockClasses: readonly string[];
  readonly ms: number;
}

export function rangeContains(r: SourceRange | null, line: number, col: number): boolean {
  if (!r) return false;
  if (line < r.startLine || line > r.endLine) return false;
  if (line === r.startLine && col < r.startCol) return false;
  if (line === r.endLine && col > r.endCol) return false;
  return true;
}

export function modelAtLine(a: DocumentAnalysis | undefined, line: number): ModelEntry | undefined {
  return a?.models.find((m) => line >= m.classRange.startLine && line <= m.classRange.endLine);
}
