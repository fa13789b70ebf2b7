/**
 * The panel's view: builds the DOM once, sends what a person does to the controller, and renders the controller's
 * state on every change. All behaviour lives in controller.ts; hosts subscribe to `panel.controller.on(…)`.
 */
import {
  decodeImage,
  encodePng,
  imageDataOf,
  type RgbaImage,
  startEngine,
  type WasmLocation,
} from '@impasto/engine/browser';
import {
  createPanelController,
  type ExampleStyle,
  type PanelController,
  type PanelResult,
  type PanelState,
  type WeightsSource,
} from './controller.js';
import { bytesOf, h } from './dom.js';
import { errorInWords } from './error-words.js';
import { backendText, progressValue, SIZE_TOO_LARGE, sizeNote, statusText } from './panel-text.js';
import { BACKEND_CHOICES, type PanelSettings, sizeChoicesFor } from './settings.js';
import { createStylePicker } from './style-picker.js';
import { injectPanelCss } from './styles.js';

export interface PanelOptions {
  /** Base URL of the weights folder, or a loader (e.g. a folder the visitor picked). */
  readonly weights: WeightsSource;
  /**
   * Where the engine's WebAssembly files are (ORT_WASM_FILES of @impasto/engine/browser): a folder URL, or a URL
   * per file name (e.g. blob: URLs), or the promise of one (e.g. a binary being inflated: the engine waits for it).
   */
  readonly wasmPaths?: WasmLocation | Promise<WasmLocation | undefined>;
  readonly examples?: readonly ExampleStyle[];
  /** 'upload': the panel shows a content picker; 'host': the host calls setContent (Figma selection, VS Code file). */
  readonly contentSource: 'upload' | 'host';
  readonly settings?: Partial<PanelSettings>;
  /** Buttons shown once a result exists: Download, Save, Place in Figma, … */
  readonly resultActions?: readonly { label: string; run(result: PanelResult): void | Promise<void> }[];
  /** Nonce for the panel's <style> element under a Content-Security-Policy. */
  readonly styleNonce?: string;
  /** Words for the thing being stylized in messages ("photo", "layer", "image"); default "photo". */
  readonly contentNoun?: string;
  /**
   * Starts the engine worker (the host's bundle of `@impasto/engine/worker`): `new Worker(url)`, or
   * `workerFromSource(code)` where a host cannot load a separate file. Without one, or where it fails to start, the
   * engine runs on the page's main thread and the panel says so.
   */
  readonly engineWorker?: () => Worker | Promise<Worker>;
}

export interface StylizePanel {
  readonly element: HTMLElement;
  /** State and events: hosts subscribe here (started, progress, done, failed, cancelled, settings, …). */
  readonly controller: PanelController;
  /** Reads and checks a photo at once; resolves true when it is now the content. */
  setContent(bytes: Uint8Array | Blob, name: string): Promise<boolean>;
  /** Reads and checks a style image at once; resolves true when it was added. */
  addStyle(bytes: Uint8Array, name: string): Promise<boolean>;
  setWeights(source: WeightsSource): void;
  showMessage(text: string, kind?: 'info' | 'error'): void;
  settings(): PanelSettings;
  dispose(): void;
}

/** Test ids of the settings menus whose ids are not their setting's name (kept for the hosts' end-to-end tests). */
const SELECT_TEST_IDS: Partial<Record<string, string>> = { backend: 'compute', start: 'start-from' };

export function mountStylizePanel(root: HTMLElement, options: PanelOptions): StylizePanel {
  injectPanelCss(root.ownerDocument, options.styleNonce);
  const { wasmPaths, engineWorker } = options;
  const controller = createPanelController({
    weights: options.weights,
    decode: decodeImage,
    encode: encodePng,
    startEngine: (r) =>
      startEngine({ ...r, ...(wasmPaths ? { wasmPaths } : {}), ...(engineWorker ? { worker: engineWorker } : {}) }),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.contentNoun ? { contentNoun: options.contentNoun } : {}),
  });
  const initial = controller.state().settings;
  const update = (patch: Partial<PanelSettings>) => controller.updateSettings(patch);
  const inputValue = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

  const message = h('div', { class: 'ip-message', role: 'status', 'data-testid': 'message' });
  const picker = createStylePicker(controller, options.examples ?? []);
  const canvas = h('canvas', { 'data-testid': 'preview', width: 1, height: 1 });
  const progress = h('progress', { class: 'ip-progress', max: 1, value: 0, 'data-testid': 'progress' });
  const status = h('div', { class: 'ip-status', 'data-testid': 'status' });
  const backendLine = h('div', { class: 'ip-backend', 'data-testid': 'backend' });
  const actions = h('div', { class: 'ip-actions', 'data-testid': 'result-actions' });

  /** Number boxes show the value in use: what was typed, brought into range. */
  const numberInputs: { key: 'iterations' | 'seed'; input: HTMLInputElement }[] = [];
  const numberField = (label: string, key: 'iterations' | 'seed', min: number, max: number) => {
    const input = h('input', {
      type: 'number',
      min,
      max,
      value: initial[key],
      'data-testid': key,
      onChange: (e: Event) => update({ [key]: Number(inputValue(e)) }),
    });
    numberInputs.push({ key, input });
    return h('label', {}, label, input);
  };

  const selects = new Map<string, HTMLSelectElement>();
  const select = (
    label: string,
    key: 'size' | 'optimizer' | 'start' | 'backend',
    choices: readonly (string | number)[],
  ) => {
    const element = h(
      'select',
      {
        'data-testid': SELECT_TEST_IDS[key] ?? key,
        onChange: (e: Event) => update({ [key]: key === 'size' ? Number(inputValue(e)) : inputValue(e) }),
      },
      ...choices.map((c) => h('option', { value: c, selected: String(initial[key]) === String(c) }, String(c))),
    );
    selects.set(key, element);
    return h('label', {}, label, element);
  };

  const contentPicker =
    options.contentSource === 'upload'
      ? h(
          'label',
          { class: 'ip-drop' },
          'Photo',
          h('input', {
            type: 'file',
            accept: 'image/*',
            'data-testid': 'content-upload',
            'aria-label': 'choose the photo to stylize',
            onChange: async (e: Event) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) await controller.setContent(file, file.name);
            },
          }),
        )
      : null;

  const startButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'start', onClick: () => void controller.start() },
    'Stylize',
  );
  const cancelButton = h(
    'button',
    { type: 'button', 'data-testid': 'cancel', disabled: true, onClick: () => controller.cancel() },
    'Cancel',
  );

  const element = h(
    'div',
    { class: 'impasto-panel' },
    contentPicker,
    h('div', { class: 'ip-preview ip-drop' }, canvas),
    picker.element,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Settings'),
      h(
        'label',
        {},
        'Style strength',
        h('input', {
          type: 'range',
          min: 0,
          max: 100,
          value: initial.strength,
          'data-testid': 'strength',
          onInput: (e: Event) => update({ strength: Number(inputValue(e)) }),
        }),
      ),
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          checked: initial.keepColors,
          'data-testid': 'keep-colors',
          onChange: (e: Event) => update({ keepColors: (e.target as HTMLInputElement).checked }),
        }),
        'Keep original colours',
      ),
      select('Size (px)', 'size', sizeChoicesFor(initial.size)),
      numberField('Iterations', 'iterations', 1, 2000),
      h(
        'details',
        {},
        h('summary', {}, 'Advanced'),
        select('Optimizer', 'optimizer', ['lbfgs', 'adam']),
        select('Start from', 'start', ['content', 'noise']),
        numberField('Noise seed', 'seed', 0, 2 ** 31 - 1),
        select('Compute', 'backend', BACKEND_CHOICES),
      ),
    ),
    h('div', { class: 'ip-actions' }, startButton, cancelButton),
    progress,
    status,
    backendLine,
    message,
    actions,
  );
  root.append(element);

  // Drag and drop onto the preview sets the content (upload mode) or adds a style (host mode).
  const drop = element.querySelector('.ip-preview') as HTMLElement;
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    if (options.contentSource === 'upload') await controller.setContent(file, file.name);
    else controller.addStyle(await bytesOf(file), file.name);
  });

  const resultButtons = (r: PanelResult) =>
    (options.resultActions ?? []).map((a) =>
      h(
        'button',
        {
          type: 'button',
          'data-testid': `action-${a.label}`,
          onClick: async () => {
            try {
              await a.run(r);
            } catch (e) {
              controller.showMessage(errorInWords(e), 'error');
            }
          },
        },
        a.label,
      ),
    );

  let shownSizes: PanelState['sizes'] | null = null;
  /** The size menu marks what this device cannot run (refused up front) and what ran out of memory here. */
  const markSizes = (sizes: PanelState['sizes']) => {
    if (sizes === shownSizes) return;
    shownSizes = sizes;
    for (const option of Array.from(selects.get('size')?.options ?? [])) {
      const note = sizeNote(Number(option.value), sizes);
      option.textContent = note ? `${option.value} — ${note}` : option.value;
      option.disabled = note === SIZE_TOO_LARGE;
    }
  };

  let drawn: RgbaImage | null = null;
  let shownSettings: PanelSettings | null = null;
  let shownResult: PanelResult | null = null;
  const render = (state: PanelState) => {
    markSizes(state.sizes);
    if (state.preview && state.preview !== drawn) {
      drawn = state.preview;
      canvas.width = drawn.width;
      canvas.height = drawn.height;
      canvas.getContext('2d')?.putImageData(imageDataOf(drawn), 0, 0);
    }
    picker.render(state.styles);
    progress.value = progressValue(state);
    status.textContent = statusText(state);
    backendLine.textContent = backendText(state.engine);
    if (state.engine.status === 'ready' && state.engine.backend) backendLine.dataset.backend = state.engine.backend;
    message.textContent = state.message.text;
    message.className = `ip-message ${state.message.kind}`;
    // Only when the settings change, so a box being typed in is not reset by other updates.
    if (state.settings !== shownSettings) {
      shownSettings = state.settings;
      for (const { key, input } of numberInputs) input.value = String(state.settings[key]);
    }
    const busy = state.run.status === 'running';
    element.classList.toggle('ip-busy', busy || state.checking !== null);
    element.classList.toggle('ip-running', busy);
    startButton.disabled = busy || state.checking !== null;
    cancelButton.disabled = !busy;
    // The buttons act on exactly what the preview shows: a finished result, or what a cancelled run had reached.
    const result =
      state.run.status === 'done'
        ? state.run.result
        : state.run.status === 'cancelled'
          ? (state.run.partial ?? null)
          : null;
    if (result !== shownResult) {
      shownResult = result;
      actions.replaceChildren(...(result ? resultButtons(result) : []));
    }
  };
  controller.on('change', (e) => render(e.state));
  render(controller.state());

  return {
    element,
    controller,
    setContent: controller.setContent,
    addStyle: controller.addStyle,
    setWeights: controller.setWeights,
    showMessage: controller.showMessage,
    settings: () => controller.state().settings,
    dispose() {
      controller.dispose();
      picker.dispose();
      element.remove();
    },
  };
}
