// Plain-language explanations of fusion points, short enough for a hover, in English and Simplified Chinese.
import { formatShapeSymbolic } from '../shape/shape';
import { strideText } from './fusionSummary';
import type { BaselineComparison, FusionInput, FusionPoint, FusionSummary, ResampleStep } from './fusionTypes';

export type FusionLang = 'en' | 'zh-cn';

const METHOD_ZH: Record<string, string> = { concat: '拼接', sum: '相加', residual: '残差', gated: '门控', weighted: '加权', 'cross-attention': '交叉注意力', attention: '自注意力' };

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
  const zh = lang === 'zh-cn';
  switch (step.kind) {
    case 'pool': {
      const adaptive = step.pool.startsWith('adaptive');
      const size = step.kernel ? step.kernel.join('×') : null;
      const how = factor(step.scale) || (size === null ? '' : adaptive ? (lang === 'zh-cn' ? `到 ${size}` : `to ${size}`) : `k=${size}`);
      const en = { max: 'max-pooled', avg: 'avg-pooled', 'adaptive-max': 'adaptive max-pooled', 'adaptive-avg': 'adaptive avg-pooled', lp: 'LP-pooled' }[step.pool];
      const cn = { max: '最大池化', avg: '平均池化', 'adaptive-max': '自适应最大池化', 'adaptive-avg': '自适应平均池化', lp: 'LP 池化' }[step.pool];
      return `${zh ? cn : en} ${how}`.trim();
    }
    case 'interpolate': {
      // A resize by less than a whole factor (8 → 9 to match a skip) reads better as its target size.
      const nearOne = step.scale !== null && step.scale.every((s) => s === 1) && step.size !== null;
      const how = step.scaleFactor && step.scaleFactor.length > 0 && step.scaleFactor.every((s) => s === step.scaleFactor?.[0])
        ? `×${num(step.scaleFactor[0] as number)}`
        : nearOne ? (zh ? `到 ${step.size?.join('×')}` : `to ${step.size?.join('×')}`) : factor(step.scale);
      return zh ? `插值 ${how}（${step.mode}）` : `interpolated ${how} (${step.mode})`;
    }
    case 'strided-conv': {
      const k = step.kernel ? step.kernel.join('×') : '?';
      const s = step.stride.every((x) => x === step.stride[0]) ? String(step.stride[0]) : step.stride.join('×');
      return zh ? `步长卷积 ${k} s${s}` : `strided ${k} conv s${s}`;
    }
    case 'transposed-conv':
      return zh ? `转置卷积 ${factor(step.scale)}` : `transposed conv ${factor(step.scale)}`;
    case 'pad':
      return zh ? `填充 [${step.pad?.join(', ') ?? '?'}]` : `padded [${step.pad?.join(', ') ?? '?'}]`;
    case 'projection': {
      const linear = /linear/i.test(step.op);
      const ch = `${step.inChannels ?? '?'}→${step.outChannels ?? '?'}`;
      if (zh) return linear ? `线性投影 ${ch}` : `1×1 投影 ${ch}`;
      return linear ? `linear projection ${ch}` : `1×1 projection ${ch}`;
    }
    case 'reduce':
      return zh ? `沿维度 ${step.dims?.join(', ') ?? '?'} 取 ${step.reduce}` : `${step.reduce} over dim ${step.dims?.join(', ') ?? '?'}`;
  }
}

function inputName(inp: FusionInput, i: number, lang: FusionLang): string {
  if (inp.label && !/^input \d+$/.test(inp.label)) return inp.label;
  return lang === 'zh-cn' ? `输入 ${i + 1}` : `input ${i + 1}`;
}

/** `feat1 (stride 1, depth 1) max-pooled ÷4` */
function inputText(inp: FusionInput, i: number, lang: FusionLang): string {
  const zh = lang === 'zh-cn';
  const s = strideText(inp.level.stride);
  const facts = zh ? [s !== null ? `步长 ${s}` : null, `深度 ${inp.level.depth}`].filter(Boolean).join('，') : [s !== null ? `stride ${s}` : null, `depth ${inp.level.depth}`].filter(Boolean).join(', ');
  const steps = inp.resampling.map((st) => resampleText(st, lang)).join(zh ? '，' : ', ');
  const base = zh ? `${inputName(inp, i, lang)}（${facts}）` : `${inputName(inp, i, lang)} (${facts})`;
  return steps ? `${base}${zh ? '' : ' '}${steps}` : base;
}

function inputsText(p: FusionPoint, lang: FusionLang): string {
  return p.inputs.map((inp, i) => inputText(inp, i, lang)).join(lang === 'zh-cn' ? '；' : '; ');
}

const byRole = (p: FusionPoint, role: string): FusionInput | undefined => p.inputs.find((i) => i.role === role);

const upsampled = (i: FusionInput): boolean => i.resampling.some((s) => s.kind === 'transposed-conv' || (s.kind === 'interpolate' && (s.scale ?? []).some((x) => x > 1)));

/** The classic shape of a two-input merge: a shallow map meets a deeper one brought up to its size (U-Net skip, FPN top-down). */
function patternText(p: FusionPoint, lang: FusionLang): string {
  if (p.inputs.length !== 2 || (p.method !== 'concat' && p.method !== 'sum')) return '';
  const up = p.inputs.find(upsampled);
  const skip = p.inputs.find((i) => i !== up && !upsampled(i));
  if (!up || !skip) return '';
  const [u, k] = [inputName(up, p.inputs.indexOf(up), lang), inputName(skip, p.inputs.indexOf(skip), lang)];
  if (lang === 'zh-cn') {
    return p.method === 'concat'
      ? `跳跃连接（U-Net 式）：浅层的 ${k} 保留细节，与上采样后的深层 ${u} 拼接。`
      : `自顶向下通路（FPN 式）：深层的 ${u} 上采样后与 ${k} 相加，把语义带到高分辨率。`;
  }
  return p.method === 'concat'
    ? ` Skip connection (U-Net style): the shallow ${k} keeps the detail, the upsampled deeper ${u} brings the context.`
    : ` Top-down pathway (FPN style): the deeper ${u} is upsampled and added to ${k}, carrying semantics to the finer resolution.`;
}

function enText(p: FusionPoint, pattern: string): string {
  const n = p.inputs.length;
  const at = strideText(p.out.level.stride);
  const where = at !== null ? ` at stride ${at}` : '';
  const arith = p.arithmetic ? ` (${p.arithmetic})` : '';
  switch (p.method) {
    case 'concat':
      return `Concatenation of ${n} levels${arith}${where}: ${inputsText(p, 'en')}.${pattern || ' Keeps every channel of every level; the next layer learns how to mix them.'}`;
    case 'sum':
      return `Element-wise sum of ${n} levels${arith}${where}: ${inputsText(p, 'en')}.${pattern || ' Needs equal shapes; cheaper than concatenation, but the levels share one channel space.'}`;
    case 'residual': {
      const sc = byRole(p, 'shortcut');
      const br = byRole(p, 'branch');
      const scText = sc ? inputText(sc, p.inputs.indexOf(sc), 'en') : '';
      const brText = br ? inputText(br, p.inputs.indexOf(br), 'en') : '';
      return `Residual sum${arith}: branch ${brText} + shortcut ${scText}. The block learns a correction to its input, and gradients flow straight through the shortcut.`;
    }
    case 'weighted': {
      const src = { parameter: 'learned weights', 'softmax(parameter)': 'softmax-normalised learned weights', 'softmax(data)': 'softmax attention weights computed from the data', 'sigmoid(data)': 'sigmoid weights computed from the data', data: 'data-dependent weights' }[p.weights?.source ?? 'parameter'];
      return `Weighted sum of ${n} levels with ${src}${arith}${where}: ${inputsText(p, 'en')}. The network learns how much each level counts.`;
    }
    case 'gated': {
      const f = byRole(p, 'features');
      const g = byRole(p, 'gate');
      const kind = p.gate?.kind ?? 'element';
      const what = { channel: 'rescales each channel (channel attention)', spatial: 'rescales each position (spatial attention)', token: 'rescales each token', element: 'rescales every element' }[kind];
      const gShape = g?.atFusion.shape ? ` ${formatShapeSymbolic(g.atFusion.shape)}` : '';
      return `${kind[0]?.toUpperCase()}${kind.slice(1)} gate: ${f ? inputName(f, 0, 'en') : 'the features'} × ${p.gate?.activation ?? 'sigmoid'} gate${gShape} from ${g ? inputName(g, 1, 'en') : 'its own branch'}; ${what}.`;
    }
    case 'cross-attention':
    case 'attention': {
      const q = byRole(p, 'query');
      const k = byRole(p, 'key/value') ?? byRole(p, 'key');
      const qn = q ? inputName(q, 0, 'en') : 'query';
      const kn = k ? inputName(k, 1, 'en') : 'keys';
      return p.method === 'cross-attention'
        ? `Cross-attention: ${qn} (query) attends to ${kn} (key/value) from another branch or modality; each query position gets a weighted mix of the other's features.`
        : `Self-attention over ${qn}: every position mixes information from all positions of the same source.`;
    }
  }
}

function zhText(p: FusionPoint, pattern: string): string {
  const n = p.inputs.length;
  const at = strideText(p.out.level.stride);
  const where = at !== null ? `，输出步长 ${at}` : '';
  const arith = p.arithmetic ? `（${p.arithmetic}）` : '';
  switch (p.method) {
    case 'concat':
      return `拼接融合 ${n} 个层级${arith}${where}：${inputsText(p, 'zh-cn')}。${pattern || '保留各层级的全部通道，由后续层学习如何组合。'}`;
    case 'sum':
      return `逐元素相加融合 ${n} 个层级${arith}${where}：${inputsText(p, 'zh-cn')}。${pattern || '要求形状一致；比拼接省参数，但各层级共用同一通道空间。'}`;
    case 'residual': {
      const sc = byRole(p, 'shortcut');
      const br = byRole(p, 'branch');
      const scText = sc ? inputText(sc, p.inputs.indexOf(sc), 'zh-cn') : '';
      const brText = br ? inputText(br, p.inputs.indexOf(br), 'zh-cn') : '';
      return `残差相加${arith}：主分支 ${brText} + 捷径 ${scText}。模块学习对输入的修正，梯度可经捷径直接回传。`;
    }
    case 'weighted': {
      const src = { parameter: '可学习权重', 'softmax(parameter)': '经 softmax 归一化的可学习权重', 'softmax(data)': '由数据计算的 softmax 注意力权重', 'sigmoid(data)': '由数据计算的 sigmoid 权重', data: '依赖数据的权重' }[p.weights?.source ?? 'parameter'];
      return `加权求和融合 ${n} 个层级，使用${src}${arith}${where}：${inputsText(p, 'zh-cn')}。网络学习每个层级的重要程度。`;
    }
    case 'gated': {
      const f = byRole(p, 'features');
      const g = byRole(p, 'gate');
      const kind = p.gate?.kind ?? 'element';
      const name = { channel: '通道门控', spatial: '空间门控', token: '逐 token 门控', element: '逐元素门控' }[kind];
      const what = { channel: '逐通道重新缩放（通道注意力）', spatial: '逐位置重新缩放（空间注意力）', token: '逐 token 重新缩放', element: '逐元素重新缩放' }[kind];
      const gShape = g?.atFusion.shape ? ` ${formatShapeSymbolic(g.atFusion.shape)}` : '';
      return `${name}：${f ? inputName(f, 0, 'zh-cn') : '特征'} 乘以来自 ${g ? inputName(g, 1, 'zh-cn') : '独立分支'} 的 ${p.gate?.activation ?? 'sigmoid'} 门${gShape}，${what}。`;
    }
    case 'cross-attention':
    case 'attention': {
      const q = byRole(p, 'query');
      const k = byRole(p, 'key/value') ?? byRole(p, 'key');
      const qn = q ? inputName(q, 0, 'zh-cn') : '查询';
      const kn = k ? inputName(k, 1, 'zh-cn') : '键';
      return p.method === 'cross-attention'
        ? `交叉注意力：${qn}（查询）关注来自另一分支或模态的 ${kn}（键/值）；每个查询位置得到对方特征的加权组合。`
        : `自注意力：${qn} 的每个位置汇聚同一来源所有位置的信息。`;
    }
  }
}

function feedsText(p: FusionPoint, lang: FusionLang): string {
  if (!p.feeds) return '';
  const line = p.feeds.line === null ? '' : lang === 'zh-cn' ? `（第 ${p.feeds.line + 1} 行）` : ` (line ${p.feeds.line + 1})`;
  if (lang === 'zh-cn') return `其结果只用于计算${p.feeds.method === 'gated' ? '门控' : '加权融合的权重'}${line}。`;
  return ` It only serves to compute the ${p.feeds.method === 'gated' ? 'gate' : 'weights'} of the ${p.feeds.method} fusion${line}.`;
}

/** A hover-sized explanation of one fusion point. */
export function explainFusion(point: FusionPoint, lang: FusionLang = 'en'): string {
  // A recognised U-Net / FPN shape replaces the generic remark about the method.
  const pattern = patternText(point, lang);
  return (lang === 'zh-cn' ? zhText(point, pattern) : enText(point, pattern)) + feedsText(point, lang);
}

/** One line for lists and CodeLens: `concat · 3 levels: feat1 (/1, 64ch) + feat2 (/2, 128ch) + feat3 (/4, 256ch)`. */
export function fusionOneLine(point: FusionPoint, lang: FusionLang = 'en'): string {
  const parts = point.inputs.map((inp, i) => {
    const s = strideText(inp.level.stride);
    const facts = [s !== null ? `/${s}` : null, inp.level.channels !== null ? `${inp.level.channels}ch` : null].filter(Boolean).join(', ');
    return facts ? `${inputName(inp, i, lang)} (${facts})` : inputName(inp, i, lang);
  });
  const count = lang === 'zh-cn' ? `${point.inputs.length} 个输入` : `${point.inputs.length} inputs`;
  return `${lang === 'zh-cn' ? METHOD_ZH[point.method] ?? point.method : point.method} · ${count}: ${parts.join(' + ')}`;
}

function methodsText(s: FusionSummary, lang: FusionLang): string {
  return Object.entries(s.methods).map(([m, c]) => (lang === 'zh-cn' ? `${c} 个${METHOD_ZH[m] ?? m}` : `${c} ${m}`)).join(lang === 'zh-cn' ? '，' : ', ');
}

/** A model's fusion summary in one or two sentences. */
export function explainSummary(s: FusionSummary, lang: FusionLang = 'en'): string {
  const zh = lang === 'zh-cn';
  if (s.points === 0) return zh ? `${s.className}：没有多层级特征融合点。` : `${s.className}: no multi-level fusion point.`;
  const scales = s.scales.join(', ');
  const pct = s.paramsTotal > 0 ? Math.round((s.fusionParams / s.paramsTotal) * 100) : null;
  const params = s.fusionParams.toLocaleString('en-US');
  return zh
    ? `${s.className}：${s.points} 个融合点（${methodsText(s, lang)}），共融合 ${s.levels} 个层级${scales ? `，步长 ${scales}` : ''}；仅为融合服务的分支含 ${params} 个参数${pct !== null ? `（占模型 ${pct}%）` : ''}。`
    : `${s.className}: ${s.points} fusion point${s.points === 1 ? '' : 's'} (${methodsText(s, lang)}) over ${s.levels} levels${scales ? ` at strides ${scales}` : ''}; branches that only feed fusion hold ${params} params${pct !== null ? ` (${pct}% of the model)` : ''}.`;
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
  return lang === 'zh-cn'
    ? `${c.model} 对比 ${c.baseline}：参数 ${p(c.params)} vs ${p(c.baselineParams)}（${ratio(c.params, c.baselineParams)}），计算量 ${flopsText(c.flops)} vs ${flopsText(c.baselineFlops)}（${ratio(c.flops, c.baselineFlops)}）。`
    : `${c.model} vs ${c.baseline}: ${p(c.params)} vs ${p(c.baselineParams)} params (${ratio(c.params, c.baselineParams)}), ${flopsText(c.flops)} vs ${flopsText(c.baselineFlops)} (${ratio(c.flops, c.baselineFlops)}).`;
}
