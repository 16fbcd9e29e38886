// The run panel: receives models and inputs from the host, runs them in onnxruntime-web, shows and posts the results; seed and image can be changed for a rerun.
import type { ExecutionChoice, FromRunPanel, RunInput, RunPhase, ToRunPanel } from '../../src/protocol';
import type { RunTensor } from '../../src/core/run/runner';
import { bytesOf, unhandled } from '../../src/protocol';
import { backendText, PROVIDER_CHOICES, type ProviderChoice } from '../../src/core/run/backend';
import { button, dropdown, textField } from '../shared/controls';
import { h } from '../shared/dom';
import type { Strings, StringKey } from '../shared/strings';
import type { WebviewHost } from '../shared/vscodeApi';
import { imageTensor } from './imageInput';
import { Backends } from './backends';
import { backendStrings, type BackendStrings } from './backendStrings';
import { timeBackends, timingRows } from './backendTiming';
import { resultsView } from './resultsView';
import { runModels } from './runModels';
import { tensorFor } from './seededInputs';
import { warmUp } from './warmUp';

type RunMessage = Extract<ToRunPanel, { type: 'run' }>;

/** Without settings from the host: WebGPU when it works, wasm otherwise, at most 4 threads where the page allows threads. */
const DEFAULT_EXECUTION: ExecutionChoice = { provider: 'auto', maxThreads: 4 };

export interface RunPanelState {
  readonly seed: number | null;
}

/** ImageNet statistics: the usual normalisation for image models. */
const IMAGE_MEAN = [0.485, 0.456, 0.406];
const IMAGE_STD = [0.229, 0.224, 0.225];

export class RunApp {
  private request: RunMessage | null = null;
  private running = false;
  private cancelledRun: number | null = null;
  private thumbUrl: string | null = null;
  private readonly status = h('div', { class: 'status', role: 'status', 'data-testid': 'run-status' });
  private readonly inputInfo = h('div', { class: 'muted', 'data-testid': 'run-inputs' });
  private readonly results = h('div');
  private readonly steady = h('div', { class: 'muted', 'data-testid': 'steady-state' });
  /** The last run's models and input tensors, for Time 5 runs. */
  private lastRun: { req: RunMessage; inputs: { name: string; tensor: RunTensor }[] } | null = null;
  private readonly seedField;
  private readonly filePicker = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp,image/gif,image/bmp', hidden: '' });
  private readonly backends: Backends;
  private readonly bs: BackendStrings;
  /** The panel's own execution choice, when the user picked one there (else the setting's, from each run request). */
  private providerOverride: ProviderChoice | null = null;
  private readonly providerField;

  constructor(
    root: HTMLElement,
    private readonly host: WebviewHost<FromRunPanel, RunPanelState>,
    private readonly s: Strings,
    wasmBase: string,
    lang: 'en' | 'zh-cn' = 'en',
  ) {
    const saved = host.getState();
    this.backends = new Backends(wasmBase, (level, message) => this.host.post({ type: 'log', level, message }));
    this.bs = backendStrings(lang);
    this.providerField = dropdown(
      PROVIDER_CHOICES.map((value) => ({ value, label: value === 'webgpu' ? 'WebGPU' : value })),
      (v) => {
        if ((PROVIDER_CHOICES as readonly string[]).includes(v)) this.providerOverride = v as ProviderChoice;
      },
      { testId: 'execution-provider', title: this.bs.providerTitle, value: 'auto' },
    );
    this.seedField = textField(() => undefined, { testId: 'seed', value: saved?.seed != null ? String(saved.seed) : '', size: 8 });
    this.filePicker.addEventListener('change', () => void this.pickImage());
    root.append(
      h(
        'header',
        {},
        h('h2', {}, s.runTitle),
        h(
          'div',
          { class: 'controls' },
          h('span', {}, `${s.seed}:`),
          this.seedField,
          button(s.rerun, () => void this.rerunWithSeed(), { appearance: 'primary', testId: 'rerun' }),
          button(s.pickImage, () => this.filePicker.click(), { testId: 'pick-image' }),
          button(s.measure, () => void this.measure(), { testId: 'measure', title: s.measureTitle }),
          h('span', {}, `${this.bs.backend}:`),
          this.providerField,
          this.filePicker,
        ),
        this.inputInfo,
        this.status,
        this.steady,
      ),
      this.results,
    );
    this.status.textContent = s.waiting;
    this.results.addEventListener('click', (e) => {
      const model = (e.target as Element | null)?.closest('[data-show-on-graph]')?.getAttribute('data-show-on-graph');
      if (model) this.host.post({ type: 'showOnGraph', model });
    });
  }

  /** The request's execution choice (the setting), with the panel's own pick of provider over it. */
  private execution(req: RunMessage): ExecutionChoice {
    const base = req.execution ?? DEFAULT_EXECUTION;
    return this.providerOverride ? { ...base, provider: this.providerOverride } : base;
  }

  receive(msg: ToRunPanel): void {
    switch (msg.type) {
      case 'run': {
        this.request = msg;
        if (!this.providerOverride) this.providerField.value = msg.execution?.provider ?? DEFAULT_EXECUTION.provider;
        const seeded = msg.inputs.find((i) => i.source.kind === 'seeded');
        if (seeded?.source.kind === 'seeded') this.seedField.value = String(seeded.source.seed);
        void this.run(msg);
        return;
      }
      case 'cancel':
        this.cancelledRun = msg.runId;
        return;
      case 'response':
        // The run panel sends no requests: nothing waits for a reply.
        return;
      default:
        unhandled(msg);
    }
  }

  private async run(req: RunMessage): Promise<void> {
    if (this.running) this.cancelledRun = this.request?.runId ?? null;
    while (this.running) await new Promise((r) => setTimeout(r, 50));
    this.running = true;
    // a cancel for this run may have come while the previous one finished
    if (this.cancelledRun !== req.runId) this.cancelledRun = null;
    this.results.replaceChildren();
    this.inputInfo.textContent = `${this.s.input}: ${req.inputs.map(describeInput).join(', ')}`;
    this.showImageThumb(req.inputs);
    const progress = (model: string | null, phase: RunPhase, fraction: number): void => {
      this.status.textContent = `${model ? `${model}: ` : ''}${this.s[`phase_${phase.replace('-', '_')}` as StringKey]}… ${Math.round(fraction * 100)}%`;
      this.host.post({ type: 'runProgress', runId: req.runId, model, phase, fraction: Math.min(1, Math.max(0, fraction)) });
    };
    try {
      progress(null, 'loading-runtime', 0);
      const exec = this.execution(req);
      const startMs = await warmUp((await this.backends.wasm(exec.maxThreads)).runner);
      if (startMs > 0) this.host.post({ type: 'log', level: 'info', message: `onnxruntime-web started in ${Math.round(startMs)} ms` });
      progress(null, 'preparing-input', 0);
      const inputs = await Promise.all(req.inputs.map(async (inp, i) => ({ name: inp.name, tensor: await this.tensor(inp, i) })));
      this.lastRun = { req, inputs };
      this.steady.replaceChildren();
      const runner = this.backends.runner(exec.provider, exec.maxThreads);
      const local = await runModels(
        req.runId,
        req.models,
        inputs,
        runner,
        { progress, cancelled: () => this.cancelledRun === req.runId },
        req.previewCount ?? 8,
      );
      progress(null, 'done', 1);
      this.status.textContent = '';
      this.results.replaceChildren(resultsView(local, this.s, this.bs));
      this.host.post({ type: 'runResult', ...local.result });
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.status.textContent = '';
      this.results.replaceChildren(h('p', { class: 'error', 'data-testid': 'run-error' }, text));
      this.host.post({ type: 'runResult', runId: req.runId, models: [], comparisons: [], error: text });
    } finally {
      this.running = false;
    }
  }

  /** Steady-state time of each model of the last run on every backend the setting allows (same session, warm, outputs only), shown and logged. */
  private async measure(): Promise<void> {
    const last = this.lastRun;
    if (!last || this.running) return;
    this.running = true;
    this.cancelledRun = null;
    try {
      this.steady.textContent = `${this.s.measure}…`;
      const exec = this.execution(last.req);
      const { engines, gpuReason } = await this.backends.engines(exec.provider, exec.maxThreads);
      const timings = await timeBackends(last.req.models, last.inputs, engines, 5, () => this.cancelledRun === last.req.runId);
      this.steady.replaceChildren(...timingRows(timings, gpuReason, { ...this.bs, steadyState: this.s.steadyState, coldRun: this.s.coldRun }));
      for (const r of timings.runs) {
        const where = r.backend ? backendText(r.backend) : 'wasm';
        this.host.post({
          type: 'log',
          level: 'info',
          message: `steady state ${r.model} on ${where}: warm median ${r.medianMs.toFixed(0)} ms of ${r.warmMs.length} runs [${r.warmMs.map((t) => t.toFixed(0)).join(', ')}], cold run ${r.coldMs.toFixed(0)} ms (outputs only)`,
        });
        // the model's card shows the warm median of the backend it ran on
        const card = [...this.results.querySelectorAll<HTMLElement>('[data-testid="model-result"]')].find(
          (c) => c.dataset.model === r.model && c.dataset.backend === (r.backend?.kind ?? 'wasm'),
        );
        const cell = card?.querySelector('[data-testid="warm-median"]');
        if (cell) cell.textContent = `${Math.round(r.medianMs)} ms`;
      }
      for (const c of timings.agreement) {
        this.host.post({
          type: 'log',
          level: c.within ? 'info' : 'warn',
          message: `${c.model}: ${backendText(c.a)} vs ${backendText(c.b)} max |a − b| ${c.maxAbsDiff} (tolerance ${c.tolerance} × max(1, ${c.maxAbsRef}))`,
        });
      }
      if (gpuReason) this.host.post({ type: 'log', level: 'info', message: `Time 5 runs: WebGPU not timed (${gpuReason})` });
    } catch (err) {
      this.steady.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      this.running = false;
    }
  }

  /** A thumbnail of the picture fed to the models, so the feature maps can be read against it. */
  private showImageThumb(inputs: readonly RunInput[]): void {
    if (this.thumbUrl) URL.revokeObjectURL(this.thumbUrl);
    this.thumbUrl = null;
    const img = inputs.find((i) => i.source.kind === 'image')?.source;
    if (img?.kind !== 'image') return;
    this.thumbUrl = URL.createObjectURL(new Blob([bytesOf(img.data) as Uint8Array<ArrayBuffer>], { type: img.mime }));
    this.inputInfo.append(
      ' ',
      h('img', { src: this.thumbUrl, alt: 'input image', height: '48', 'data-testid': 'input-image', style: 'vertical-align: middle' }),
    );
  }

  private async tensor(input: RunInput, index: number): Promise<RunTensor> {
    const t = tensorFor(input, index);
    if (t) return t;
    if (input.source.kind !== 'image') throw new Error(`input '${input.name}': unknown source`);
    return imageTensor(bytesOf(input.source.data), input.source.mime, input.dims, input.source.mean, input.source.std);
  }

  private async rerunWithSeed(): Promise<void> {
    const req = this.request;
    const seed = Number(this.seedField.value.trim());
    if (!req || !Number.isSafeInteger(seed) || seed < 0) {
      this.status.textContent = `${this.s.seed}: 0, 1, 2, …`;
      return;
    }
    this.host.setState({ seed });
    this.host.post({ type: 'rerun', seed, image: null });
    if (req.localRerun) await this.run({ ...req, inputs: req.inputs.map((i) => ({ ...i, source: { kind: 'seeded', seed } })) });
    else this.status.textContent = `${this.s.seed} ${seed}: ${this.s.waiting}`;
  }

  /** The picked image feeds the first input shaped like an image batch; other inputs keep their source. */
  private async pickImage(): Promise<void> {
    const file = this.filePicker.files?.[0];
    const req = this.request;
    this.filePicker.value = '';
    if (!file || !req) return;
    const target = req.inputs.findIndex((i) => i.dims.length === 4 && (i.dims[1] === 3 || i.dims[1] === 1));
    if (target < 0) {
      this.status.textContent = 'No image-shaped input ([N, 3, H, W]) in these models.';
      return;
    }
    const data = new Uint8Array(await file.arrayBuffer());
    this.host.post({ type: 'rerun', seed: null, image: { data, mime: file.type || 'image/png' } });
    if (!req.localRerun) {
      this.status.textContent = `${file.name}: ${this.s.waiting}`;
      return;
    }
    const inputs = req.inputs.map((i, k) =>
      k === target ? { ...i, source: { kind: 'image' as const, data, mime: file.type || 'image/png', mean: IMAGE_MEAN, std: IMAGE_STD } } : i,
    );
    await this.run({ ...req, inputs });
  }
}

function describeInput(i: RunInput): string {
  const src = i.source.kind === 'seeded' ? `seed ${i.source.seed}` : i.source.kind === 'image' ? 'image' : 'data';
  return `${i.name} [${i.dims.join(', ')}] (${src})`;
}
