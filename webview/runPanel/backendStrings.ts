// Run-panel words about execution backends (WebGPU, wasm threads, fallbacks, agreement between backends), in the two shipped languages.

const EN = {
  backend: 'backend',
  warmMedian: 'warm median',
  firstRun: 'first run',
  notTimed: '— (Time 5 runs)',
  fallbackTo: 'fell back to wasm',
  gpuNotTimed: 'WebGPU not timed',
  backendsAgree: 'within the tolerance',
  backendsDiffer: 'beyond the tolerance',
  vs: 'vs',
  providerTitle:
    'Where the models run: auto (WebGPU when it works, else wasm), WebGPU or wasm. The setting fusionLens.executionProvider picks it; a choice here holds for this panel.',
};

const ZH: Record<keyof typeof EN, string> = {
  backend: '后端',
  warmMedian: '预热后中位数',
  firstRun: '首次运行',
  notTimed: '—（计时 5 次运行）',
  fallbackTo: '已回退到 wasm',
  gpuNotTimed: '未计时 WebGPU',
  backendsAgree: '在容差内',
  backendsDiffer: '超出容差',
  vs: '对比',
  providerTitle: '模型在何处运行：auto（WebGPU 可用时用它，否则 wasm）、WebGPU 或 wasm。由设置 fusionLens.executionProvider 决定；在此处的选择只对本面板有效。',
};

export type BackendStrings = Record<keyof typeof EN, string>;

export function backendStrings(lang: 'en' | 'zh-cn'): BackendStrings {
  return lang === 'zh-cn' ? ZH : EN;
}
