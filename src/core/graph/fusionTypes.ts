// Types of the fusion analysis: tensor levels, resampling steps, fusion points and per-model summaries.
import type { Shape } from '../shape/shape';

export type FusionMethod = 'concat' | 'sum' | 'residual' | 'gated' | 'weighted' | 'cross-attention' | 'attention';

/** Where a tensor sits in the network. */
export interface Level {
  /** Weighted layers (conv, linear, embedding, attention …; not norms) on the longest path from an input. */
  readonly depth: number;
  /** Per spatial dim: input size / this size, snapped to whole factors; null for non-spatial tensors. */
  readonly stride: readonly number[] | null;
  /** Channel count (dim 1 of spatial maps, last dim of token sequences), null when unknown. */
  readonly channels: number | null;
}

/** One step a fusion input went through after leaving its level, on its way to the merge. */
export type ResampleStep =
  | {
      readonly kind: 'pool';
      readonly op: string;
      readonly pool: 'max' | 'avg' | 'adaptive-max' | 'adaptive-avg' | 'lp';
      readonly kernel: number[] | null;
      readonly scale: number[] | null;
      readonly line: number | null;
    }
  | {
      readonly kind: 'interpolate';
      readonly op: string;
      readonly mode: string;
      readonly scaleFactor: number[] | null;
      readonly size: number[] | null;
      readonly scale: number[] | null;
      readonly line: number | null;
    }
  | {
      readonly kind: 'strided-conv';
      readonly op: string;
      readonly kernel: number[] | null;
      readonly stride: number[];
      readonly scale: number[] | null;
      readonly line: number | null;
    }
  | {
      readonly kind: 'transposed-conv';
      readonly op: string;
      readonly kernel: number[] | null;
      readonly stride: number[];
      readonly scale: number[] | null;
      readonly line: number | null;
    }
  | { readonly kind: 'pad'; readonly op: string; readonly pad: number[] | null; readonly line: number | null }
  /** `linear`: a linear layer's projection (from the node's role), else a 1×1 conv's. */
  | {
      readonly kind: 'projection';
      readonly op: string;
      readonly linear: boolean;
      readonly inChannels: number | null;
      readonly outChannels: number | null;
      readonly line: number | null;
    }
  | { readonly kind: 'reduce'; readonly op: string; readonly reduce: string; readonly dims: number[] | null; readonly line: number | null };

export interface FusionInput {
  /** The operand as it enters the merge. */
  readonly value: string;
  /** The tensor the branch started from (before resampling / projection). */
  readonly levelValue: string;
  /** Variable bound to the level tensor in the merge's scope (else anywhere), when there is one. */
  readonly var: string | null;
  /** Variable bound to the operand itself, when different from `var`. */
  readonly operandVar: string | null;
  /** What to call the input in text: `var`, else `operandVar`, else the call that made it (`self.attn(…)`). */
  readonly label: string;
  /** Role of the input inside the merge: `query`, `key`, `value`, `gate`, `features`, `shortcut`, `branch`, or null. */
  readonly role: string | null;
  readonly shape: Shape | null;
  readonly level: Level;
  readonly resampling: readonly ResampleStep[];
  readonly atFusion: { readonly shape: Shape | null; readonly stride: readonly number[] | null };
  /** Nodes that exist only to produce this operand (used by nothing else), and their cost. */
  readonly branch: { readonly nodes: readonly string[]; readonly params: number; readonly flops: number };
}

export interface FusionPoint {
  readonly method: FusionMethod;
  /** The node that produces the merged tensor (the outermost add of `a + b + c`). */
  readonly node: string;
  /** All nodes that make up the merge (inner adds, weighting products, stacks, score matmuls). */
  readonly nodes: readonly string[];
  readonly op: string;
  /** 0-based line, and the module path of the forward that made the call. */
  readonly line: number | null;
  readonly file: string | null;
  readonly scope: string;
  readonly inputs: readonly FusionInput[];
  readonly out: { readonly value: string; readonly shape: Shape | null; readonly level: Level; readonly var: string | null };
  /** Merge axis of concat/stack (normalised to be non-negative), else null. */
  readonly dim: number | null;
  /** `C = 64 + 128 + 256 = 448` for concat, `C = 32` for sums, null when unknown. */
  readonly arithmetic: string | null;
  /** Gated products: what the gate modulates. */
  readonly gate?: { readonly kind: 'channel' | 'spatial' | 'element' | 'token'; readonly activation: string };
  /** Weighted sums: where the weights come from. */
  readonly weights?: { readonly source: 'parameter' | 'softmax(parameter)' | 'softmax(data)' | 'sigmoid(data)' | 'data'; readonly count: number };
  /** Nodes that compute a gated or weighted merge's gate / weights and nothing else. */
  readonly weightNodes?: readonly string[];
  /** This merge only serves to compute the gate or weights of another one (e.g. levels concatenated for a scorer). */
  readonly feeds?: { readonly node: string; readonly method: FusionMethod; readonly line: number | null };
  /** Sum of the branch costs of the inputs. */
  readonly params: number;
  readonly flops: number;
}

export interface FusionSummary {
  readonly className: string;
  readonly expr: string;
  readonly points: number;
  readonly methods: Readonly<Partial<Record<FusionMethod, number>>>;
  /** Distinct level tensors that take part in some merge. */
  readonly levels: number;
  /** Distinct strides of those levels (`1`, `2`, `4`, or `2x4` when they differ per dim). */
  readonly scales: readonly string[];
  readonly maxInputs: number;
  readonly paramsTotal: number;
  readonly flopsTotal: number;
  /** Params / FLOPs of the branches that exist only to feed merges. */
  readonly fusionParams: number;
  readonly fusionFlops: number;
}

/** A fusion model next to a model of the same file with the same inputs and outputs and no fusion. */
export interface BaselineComparison {
  readonly model: string;
  readonly baseline: string;
  readonly params: number;
  readonly baselineParams: number;
  readonly flops: number;
  readonly baselineFlops: number;
}

export interface FusionAnalysis {
  readonly points: readonly FusionPoint[];
  readonly summary: FusionSummary;
  /** Level of every tensor value of the graph. */
  readonly levels: ReadonlyMap<string, Level>;
}
