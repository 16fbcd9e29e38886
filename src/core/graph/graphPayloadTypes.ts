// The graph view's payload: the serialisable subset of a ModelGraph (nodes, shaped edges, scopes, fusion points).

/** A shape printed both ways: `[B, 64, H/2, W/2]` and `[4, 64, 128, 128]`. */
export interface PayloadShape {
  readonly symbolic: string;
  readonly concrete: string;
}

export type PayloadNodeKind = 'op' | 'input' | 'output';

export interface PayloadNode {
  readonly id: string;
  readonly kind: PayloadNodeKind;
  /** Registry key (`nn.Conv2d`) or `input` / `output` for graph boundary nodes. */
  readonly op: string;
  /** Short label for the box (`Conv2d`, `cat`, `add`). */
  readonly label: string;
  /** Leaf module path (`layer1.0.conv1`) or null. */
  readonly modulePath: string | null;
  /** Group path used for collapsing: the module whose forward made the call (`layer1.0`, '' for the root); a leaf module call belongs to its parent module. */
  readonly scope: string;
  readonly outputs: readonly PayloadShape[];
  readonly params: number;
  readonly flops: number;
  /** Source file and 0-based line of the call, when known. */
  readonly file: string | null;
  readonly line: number | null;
  /** Index into `GraphPayload.fusions` when this node is a fusion point. */
  readonly fusion: number | null;
  /** Short attribute summary (`k=3 s=2 p=1`), for the node card. */
  readonly detail: string;
}

export interface PayloadEdge {
  readonly source: string;
  readonly target: string;
  /** The value (tensor) the edge carries. */
  readonly value: string;
  readonly shape: PayloadShape | null;
}

/** One module scope (a Sequential, a block): the unit of collapsing. */
export interface PayloadScope {
  readonly path: string;
  /** Module type (`Sequential`, `Bottleneck`), or '' when unknown. */
  readonly type: string;
  /** Parent scope path ('' is the root; the root itself is not listed). */
  readonly parent: string;
  /** Number of op nodes inside, at any depth. */
  readonly nodeCount: number;
}

export type FusionMethod = 'concat' | 'sum' | 'residual' | 'gated' | 'weighted' | 'cross-attention' | 'attention';

export interface PayloadFusionInput {
  /** Producer node id of the input tensor (null for a graph input). */
  readonly node: string | null;
  readonly value: string;
  /** Depth from the input (op count along the longest path), stride relative to the input, channels. */
  readonly depth: number | null;
  readonly stride: number | null;
  readonly channels: number | null;
  readonly shape: PayloadShape | null;
  /** How it was resampled to meet the others (`interpolated ×2`, `max-pooled ÷2`), one step each, empty when not. */
  readonly resampling: readonly { readonly en: string; readonly 'zh-cn': string }[];
}

export interface PayloadFusion {
  readonly node: string;
  readonly method: FusionMethod;
  readonly inputs: readonly PayloadFusionInput[];
  readonly output: PayloadShape | null;
  /** Levels as a short badge text (`L3+L5+L7` or `/4 /8 /16`). */
  readonly levels: string;
  readonly explanation: { readonly en: string; readonly 'zh-cn': string };
  readonly params: number;
  readonly flops: number;
}

export interface GraphPayload {
  /** Stable identity of the model (file + class) so the view can keep state across updates. */
  readonly key: string;
  readonly title: string;
  readonly file: string;
  readonly nodes: readonly PayloadNode[];
  readonly edges: readonly PayloadEdge[];
  readonly scopes: readonly PayloadScope[];
  readonly fusions: readonly PayloadFusion[];
  readonly paramsTotal: number;
  readonly flopsTotal: number;
  /** True when the analysis is stale (the file does not parse right now). */
  readonly stale: boolean;
}
