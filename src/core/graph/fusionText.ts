// Plain-language explanations of fusion points, short enough for a hover, in English and Simplified Chinese.
// Every phrase comes from one table holding both languages (TEXT); the builders pick phrases by id and fill their
// arguments, so no builder branches on the language.
import { formatShapeSymbolic } from '../shape/shape';
import { strideText } from './fusionSummary';
import type { BaselineComparison, FusionInput, FusionPoint, FusionSummary, ResampleStep } from './fusionTypes';

export type FusionLang = 'en' | 'zh-cn';

/** Each phrase in both languages; `{name}` is filled from the arguments (an argument's own text is not re-scanned). */
const TEXT = {
  'method.concat': { en: 'concat', 'zh-cn': '拼接' },
  'method.sum': { en: 'sum', 'zh-cn': '相加' },
  'method.residual': { en: 'residual', 'zh-cn': '残差' },
  'method.gated': { en: 'gated', 'zh-cn': '门控' },
  'method.weighted': { en: 'weighted', 'zh-cn': '加权' },
  'method.cross-attention': { en: 'cross-attention', 'zh-cn': '交叉注意力' },
  'method.attention': { en: 'attention', 'zh-cn': '自注意力' },
  'sep.list': { en: ', ', 'zh-cn': '，' },
  'sep.inputs': { en: '; ', 'zh-cn': '；' },
  toSize: { en: 'to {size}', 'zh-cn': '到 {size}' },
  'pool.max': { en: 'max-pooled', 'zh-cn': '最大池化' },
  'pool.avg': { en: 'avg-pooled', 'zh-cn': '平均池化' },
  'pool.adaptive-max': { en: 'adaptive max-pooled', 'zh-cn': '自适应最大池化' },
  'pool.adaptive-avg': { en: 'adaptive avg-pooled', 'zh-cn': '自适应平均池化' },
  'pool.lp': { en: 'LP-pooled', 'zh-cn': 'LP 池化' },
  interpolated: { en: 'interpolated {how} ({mode})', 'zh-cn': '插值 {how}（{mode}）' },
  stridedConv: { en: 'strided {k} conv s{s}', 'zh-cn': '步长卷积 {k} s{s}' },
  transposedConv: { en: 'transposed conv {f}', 'zh-cn': '转置卷积 {f}' },
  padded: { en: 'padded [{pad}]', 'zh-cn': '填充 [{pad}]' },
  linearProjection: { en: 'linear projection {ch}', 'zh-cn': '线性投影 {ch}' },
  projection: { en: '1×1 projection {ch}', 'zh-cn': '1×1 投影 {ch}' },
  reduced: { en: '{reduce} over dim {dims}', 'zh-cn': '沿维度 {dims} 取 {reduce}' },
  inputN: { en: 'input {n}', 'zh-cn': '输入 {n}' },
  stride: { en: 'stride {s}', 'zh-cn': '步长 {s}' },
  depth: { en: 'depth {d}', 'zh-cn': '深度 {d}' },
  inputFacts: { en: '{name} ({facts})', 'zh-cn': '{name}（{facts}）' },
  inputSteps: { en: '{base} {steps}', 'zh-cn': '{base}{steps}' },
  'pattern.skip': {
    en: ' Skip connection (U-Net style): the shallow {k} keeps the detail, the upsampled deeper {u} brings the context.',
    'zh-cn': '跳跃连接（U-Net 式）：浅层的 {k} 保留细节，与上采样后的深层 {u} 拼接。',
  },
  'pattern.topDown': {
    en: ' Top-down pathway (FPN style): the deeper {u} is upsampled and added to {k}, carrying semantics to the finer resolution.',
    'zh-cn': '自顶向下通路（FPN 式）：深层的 {u} 上采样后与 {k} 相加，把语义带到高分辨率。',
  },
  atStride: { en: ' at stride {at}', 'zh-cn': '，输出步长 {at}' },
  arithmetic: { en: ' ({a})', 'zh-cn': '（{a}）' },
  concat: { en: 'Concatenation of {n} levels{arith}{where}: {inputs}.{remark}', 'zh-cn': '拼接融合 {n} 个层级{arith}{where}：{inputs}。{remark}' },
  'concat.remark': {
    en: ' Keeps every channel of every level; the next layer learns how to mix them.',
    'zh-cn': '保留各层级的全部通道，由后续层学习如何组合。',
  },
  sum: { en: 'Element-wise sum of {n} levels{arith}{where}: {inputs}.{remark}', 'zh-cn': '逐元素相加融合 {n} 个层级{arith}{where}：{inputs}。{remark}' },
  'sum.remark': {
    en: ' Needs equal shapes; cheaper than concatenation, but the levels share one channel space.',
    'zh-cn': '要求形状一致；比拼接省参数，但各层级共用同一通道空间。',
  },
  residual: {
    en: 'Residual sum{arith}: branch {branch} + shortcut {shortcut}. The block learns a correction to its input, and gradients flow straight through the shortcut.',
    'zh-cn': '残差相加{arith}：主分支 {branch} + 捷径 {shortcut}。模块学习对输入的修正，梯度可经捷径直接回传。',
  },
  weighted: {
    en: 'Weighted sum of {n} levels with {weights}{arith}{where}: {inputs}. The network learns how much each level counts.',
    'zh-cn': '加权求和融合 {n} 个层级，使用{weights}{arith}{where}：{inputs}。网络学习每个层级的重要程度。',
  },
  'weights.parameter': { en: 'learned weights', 'zh-cn': '可学习权重' },
  'weights.softmax(parameter)': { en: 'softmax-normalised learned weights', 'zh-cn': '经 softmax 归一化的可学习权重' },
  'weights.softmax(data)': { en: 'softmax attention weights computed from the data', 'zh-cn': '由数据计算的 softmax 注意力权重' },
  'weights.sigmoid(data)': { en: 'sigmoid weights computed from the data', 'zh-cn': '由数据计算的 sigmoid 权重' },
  'weights.data': { en: 'data-dependent weights', 'zh-cn': '依赖数据的权重' },
  gated: {
    en: '{name}: {features} × {activation} gate{shape} from {gate}; {what}.',
    'zh-cn': '{name}：{features} 乘以来自 {gate} 的 {activation} 门{shape}，{what}。',
  },
  'gated.features': { en: 'the features', 'zh-cn': '特征' },
  'gated.ownBranch': { en: 'its own branch', 'zh-cn': '独立分支' },
  'gate.channel': { en: 'Channel gate', 'zh-cn': '通道门控' },
  'gate.spatial': { en: 'Spatial gate', 'zh-cn': '空间门控' },
  'gate.token': { en: 'Token gate', 'zh-cn': '逐 token 门控' },
  'gate.element': { en: 'Element gate', 'zh-cn': '逐元素门控' },
  'gateDoes.channel': { en: 'rescales each channel (channel attention)', 'zh-cn': '逐通道重新缩放（通道注意力）' },
  'gateDoes.spatial': { en: 'rescales each position (spatial attention)', 'zh-cn': '逐位置重新缩放（空间注意力）' },
  'gateDoes.token': { en: 'rescales each token', 'zh-cn': '逐 token 重新缩放' },
  'gateDoes.element': { en: 'rescales every element', 'zh-cn': '逐元素重新缩放' },
  'attention.query': { en: 'query', 'zh-cn': '查询' },
  'attention.keys': { en: 'keys', 'zh-cn': '键' },
  crossAttention: {
    en: "Cross-attention: {q} (query) attends to {k} (key/value) from another branch or modality; each query position gets a weighted mix of the other's features.",
    'zh-cn': '交叉注意力：{q}（查询）关注来自另一分支或模态的 {k}（键/值）；每个查询位置得到对方特征的加权组合。',
  },
  selfAttention: {
    en: 'Self-attention over {q}: every position mixes information from all positions of the same source.',
    'zh-cn': '自注意力：{q} 的每个位置汇聚同一来源所有位置的信息。',
  },
  feedsLine: { en: ' (line {line})', 'zh-cn': '（第 {line} 行）' },
  'feeds.gate': { en: ' It only serves to compute the gate of the {method} fusion{line}.', 'zh-cn': '其结果只用于计算门控{line}。' },
  'feeds.weights': { en: ' It only serves to compute the weights of the {method} fusion{line}.', 'zh-cn': '其结果只用于计算加权融合的权重{line}。' },
  inputCount: { en: '{n} inputs', 'zh-cn': '{n} 个输入' },
  methodCount: { en: '{c} {method}', 'zh-cn': '{c} 个{method}' },
  'summary.none': { en: '{cls}: no multi-level fusion point.', 'zh-cn': '{cls}：没有多层级特征融合点。' },
  summary: {
    en: '{cls}: {n} {points} ({methods}) over {levels} levels{scales}; branches that only feed fusion hold {params} params{share}.',
    'zh-cn': '{cls}：{n} {points}（{methods}），共融合 {levels} 个层级{scales}；仅为融合服务的分支含 {params} 个参数{share}。',
  },
  'summary.point': { en: 'fusion point', 'zh-cn': '个融合点' },
  'summary.points': { en: 'fusion points', 'zh-cn': '个融合点' },
  'summary.scales': { en: ' at strides {scales}', 'zh-cn': '，步长 {scales}' },
  'summary.share': { en: ' ({pct}% of the model)', 'zh-cn': '（占模型 {pct}%）' },
  comparison: {
    en: '{model} vs {baseline}: {params} vs {baseParams} params ({paramsRatio}), {flops} vs {baseFlops} ({flopsRatio}).',
    'zh-cn': '{model} 对比 {baseline}：参数 {params} vs {baseParams}（{paramsRatio}），计算量 {flops} vs {baseFlops}（{flopsRatio}）。',
  },
} as const satisfies Record<string, Readonly<Record<FusionLang, string>>>;

export type FusionTextId = keyof typeof TEXT;

/** The phrase `id` in `lang` with its `{name}` holes filled. */
export function fusionPhrase(lang: FusionLang, id: FusionTextId, args: Readonly<Record<string, string | number>> = {}): string {
  return TEXT[id][lang].replace(/\{(\w+)\}/g, (hole, name: string) => (name in args ? String(args[name]) : hole));
}

/** A fusion method's name (`拼接` for concat); an unknown method is shown as it is. */
function methodName(method: string, lang: FusionLang): string {
  const id = `method.${method}`;
  return id in TEXT ? fusionPhrase(lang, id as FusionTextId) : method;
}

function num(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** `÷4` for a reduction to a quarter, `×2` for a doubling (first spatial dim; `×2x4` when they differ). */
function factor(scale: readonly number[] | null): string {
  if (!scale || scale.length === 0 || scale.every((s) => s === 1)) return '';
  const f = (s: number): string => (s < 1 ? `÷${num(1 / s)}` : `×${num(s)}`);
  return scale.every((s) => s === scale[0]) ? f(scale[0] as number) : scale.map(f).join('/');
}

export function resampleText(step: ResampleStep, lang: FusionLang): string {
  const t = (id: FusionTextId, args?: Readonly<Record<string, string | number>>): string => fusionPhrase(lang, id, args);
  switch (step.kind) {
    case 'pool': {
      const adaptive = step.pool.startsWith('adaptive');
      const size = step.kernel ? step.kernel.join('×') : null;
      const how = factor(step.scale) || (size === null ? '' : adaptive ? t('toSize', { size }) : `k=${size}`);
      return `${t(`pool.${step.pool}`)} ${how}`.trim();
    }
    case 'interpolate': {
      // A resize by less than a whole factor (8 → 9 to match a skip) reads better as its target size.
      const nearOne = step.scale !== null && step.scale.every((s) => s === 1) && step.size !== null;
      const how =
        step.scaleFactor && step.scaleFactor.length > 0 && step.scaleFactor.every((s) => s === step.scaleFactor?.[0])
          ? `×${num(step.scaleFactor[0] as number)}`
          : nearOne
            ? t('toSize', { size: `${step.size?.join('×')}` })
            : factor(step.scale);
      return t('interpolated', { how, mode: step.mode });
    }
    case 'strided-conv': {
      const k = step.kernel ? step.kernel.join('×') : '?';
      const s = step.stride.every((x) => x === step.stride[0]) ? String(step.stride[0]) : step.stride.join('×');
      return t('stridedConv', { k, s });
    }
    case 'transposed-conv':
      return t('transposedConv', { f: factor(step.scale) });
    case 'pad':
      return t('padded', { pad: step.pad?.join(', ') ?? '?' });
    case 'projection': {
      const ch = `${step.inChannels ?? '?'}→${step.outChannels ?? '?'}`;
      return t(step.linear ? 'linearProjection' : 'projection', { ch });
    }
    case 'reduce':
      return t('reduced', { reduce: step.reduce, dims: step.dims?.join(', ') ?? '?' });
  }
}

function inputName(inp: FusionInput, i: number, lang: FusionLang): string {
  if (inp.label && !/^input \d+$/.test(inp.label)) return inp.label;
  return fusionPhrase(lang, 'inputN', { n: i + 1 });
}

/** `feat1 (stride 1, depth 1) max-pooled ÷4` */
function inputText(inp: FusionInput, i: number, lang: FusionLang): string {
  const s = strideText(inp.level.stride);
  const facts = [s !== null ? fusionPhrase(lang, 'stride', { s }) : null, fusionPhrase(lang, 'depth', { d: inp.level.depth })]
    .filter(Boolean)
    .join(fusionPhrase(lang, 'sep.list'));
  const steps = inp.resampling.map((st) => resampleText(st, lang)).join(fusionPhrase(lang, 'sep.list'));
  const base = fusionPhrase(lang, 'inputFacts', { name: inputName(inp, i, lang), facts });
  return steps ? fusionPhrase(lang, 'inputSteps', { base, steps }) : base;
}

function inputsText(p: FusionPoint, lang: FusionLang): string {
  return p.inputs.map((inp, i) => inputText(inp, i, lang)).join(fusionPhrase(lang, 'sep.inputs'));
}

const byRole = (p: FusionPoint, role: string): FusionInput | undefined => p.inputs.find((i) => i.role === role);

const upsampled = (i: FusionInput): boolean =>
  i.resampling.some((s) => s.kind === 'transposed-conv' || (s.kind === 'interpolate' && (s.scale ?? []).some((x) => x > 1)));

/** The classic shape of a two-input merge: a shallow map meets a deeper one brought up to its size (U-Net skip, FPN top-down). */
function patternText(p: FusionPoint, lang: FusionLang): string {
  if (p.inputs.length !== 2 || (p.method !== 'concat' && p.method !== 'sum')) return '';
  const up = p.inputs.find(upsampled);
  const skip = p.inputs.find((i) => i !== up && !upsampled(i));
  if (!up || !skip) return '';
  const args = { u: inputName(up, p.inputs.indexOf(up), lang), k: inputName(skip, p.inputs.indexOf(skip), lang) };
  return fusionPhrase(lang, p.method === 'concat' ? 'pattern.skip' : 'pattern.topDown', args);
}

function pointText(p: FusionPoint, pattern: string, lang: FusionLang): string {
  const t = (id: FusionTextId, args?: Readonly<Record<string, string | number>>): string => fusionPhrase(lang, id, args);
  const n = p.inputs.length;
  const at = strideText(p.out.level.stride);
  const where = at !== null ? t('atStride', { at }) : '';
  const arith = p.arithmetic ? t('arithmetic', { a: p.arithmetic }) : '';
  switch (p.method) {
    case 'concat':
      return t('concat', { n, arith, where, inputs: inputsText(p, lang), remark: pattern || t('concat.remark') });
    case 'sum':
      return t('sum', { n, arith, where, inputs: inputsText(p, lang), remark: pattern || t('sum.remark') });
    case 'residual': {
      const sc = byRole(p, 'shortcut');
      const br = byRole(p, 'branch');
      const shortcut = sc ? inputText(sc, p.inputs.indexOf(sc), lang) : '';
      const branch = br ? inputText(br, p.inputs.indexOf(br), lang) : '';
      return t('residual', { arith, branch, shortcut });
    }
    case 'weighted':
      return t('weighted', { n, weights: t(`weights.${p.weights?.source ?? 'parameter'}`), arith, where, inputs: inputsText(p, lang) });
    case 'gated': {
      const f = byRole(p, 'features');
      const g = byRole(p, 'gate');
      const kind = p.gate?.kind ?? 'element';
      return t('gated', {
        name: t(`gate.${kind}`),
        features: f ? inputName(f, 0, lang) : t('gated.features'),
        activation: p.gate?.activation ?? 'sigmoid',
        shape: g?.atFusion.shape ? ` ${formatShapeSymbolic(g.atFusion.shape)}` : '',
        gate: g ? inputName(g, 1, lang) : t('gated.ownBranch'),
        what: t(`gateDoes.${kind}`),
      });
    }
    case 'cross-attention':
    case 'attention': {
      const q = byRole(p, 'query');
      const k = byRole(p, 'key/value') ?? byRole(p, 'key');
      const args = { q: q ? inputName(q, 0, lang) : t('attention.query'), k: k ? inputName(k, 1, lang) : t('attention.keys') };
      return t(p.method === 'cross-attention' ? 'crossAttention' : 'selfAttention', args);
    }
  }
}

function feedsText(p: FusionPoint, lang: FusionLang): string {
  if (!p.feeds) return '';
  const line = p.feeds.line === null ? '' : fusionPhrase(lang, 'feedsLine', { line: p.feeds.line + 1 });
  return fusionPhrase(lang, p.feeds.method === 'gated' ? 'feeds.gate' : 'feeds.weights', { method: p.feeds.method, line });
}

/** A hover-sized explanation of one fusion point. */
export function explainFusion(point: FusionPoint, lang: FusionLang = 'en'): string {
  // A recognised U-Net / FPN shape replaces the generic remark about the method.
  return pointText(point, patternText(point, lang), lang) + feedsText(point, lang);
}

/** One line for lists and CodeLens: `concat · 3 levels: feat1 (/1, 64ch) + feat2 (/2, 128ch) + feat3 (/4, 256ch)`. */
export function fusionOneLine(point: FusionPoint, lang: FusionLang = 'en'): string {
  const parts = point.inputs.map((inp, i) => {
    const s = strideText(inp.level.stride);
    const facts = [s !== null ? `/${s}` : null, inp.level.channels !== null ? `${inp.level.channels}ch` : null].filter(Boolean).join(', ');
    return facts ? `${inputName(inp, i, lang)} (${facts})` : inputName(inp, i, lang);
  });
  return `${methodName(point.method, lang)} · ${fusionPhrase(lang, 'inputCount', { n: point.inputs.length })}: ${parts.join(' + ')}`;
}

function methodsText(s: FusionSummary, lang: FusionLang): string {
  return Object.entries(s.methods)
    .map(([m, c]) => fusionPhrase(lang, 'methodCount', { c, method: methodName(m, lang) }))
    .join(fusionPhrase(lang, 'sep.list'));
}

/** A model's fusion summary in one or two sentences. */
export function explainSummary(s: FusionSummary, lang: FusionLang = 'en'): string {
  if (s.points === 0) return fusionPhrase(lang, 'summary.none', { cls: s.className });
  const scales = s.scales.join(', ');
  const pct = s.paramsTotal > 0 ? Math.round((s.fusionParams / s.paramsTotal) * 100) : null;
  return fusionPhrase(lang, 'summary', {
    cls: s.className,
    n: s.points,
    points: fusionPhrase(lang, s.points === 1 ? 'summary.point' : 'summary.points'),
    methods: methodsText(s, lang),
    levels: s.levels,
    scales: scales ? fusionPhrase(lang, 'summary.scales', { scales }) : '',
    params: s.fusionParams.toLocaleString('en-US'),
    share: pct !== null ? fusionPhrase(lang, 'summary.share', { pct }) : '',
  });
}

function ratio(a: number, b: number): string {
  if (b === 0) return '';
  const pct = Math.round(((a - b) / b) * 100);
  return `${pct >= 0 ? '+' : ''}${pct}%`;
}

function flopsText(f: number): string {
  if (f >= 1e9) return `${num(f / 1e9)} GFLOPs`;
  if (f >= 1e6) return `${num(f / 1e6)} MFLOPs`;
  return `${f} FLOPs`;
}

export function explainComparison(c: BaselineComparison, lang: FusionLang = 'en'): string {
  const p = (x: number): string => x.toLocaleString('en-US');
  return fusionPhrase(lang, 'comparison', {
    model: c.model,
    baseline: c.baseline,
    params: p(c.params),
    baseParams: p(c.baselineParams),
    paramsRatio: ratio(c.params, c.baselineParams),
    flops: flopsText(c.flops),
    baseFlops: flopsText(c.baselineFlops),
    flopsRatio: ratio(c.flops, c.baselineFlops),
  });
}
