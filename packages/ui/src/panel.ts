import {
  type BrowserSession,
  createBrowserSession,
  decodeImage,
  formatDuration,
  formatLoss,
  imageDataOf,
  type RgbaImage,
  type StylizeProgress,
  type Vgg19Weights,
  type WeightsProgress,
} from '@impasto/engine/browser';
import { bytesOf, h } from './dom.js';
import { type PanelSettings, sanitizeSettings, sizeChoicesFor, toStylizeOptions } from './settings.js';
import { createStylePicker, type ExampleStyle } from './style-picker.js';
import { injectPanelCss } from './styles.js';

/** A host's own weights loader (a folder the visitor picked, a cache); report bytes to show the progress bar. */
export type WeightsLoader = (onProgress: WeightsProgress) => Promise<Vgg19Weights>;

export type WeightsSource = string | WeightsLoader;

export interface PanelResult {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface PanelOptions {
  /** Base URL of the weights folder, or a loader (e.g. a folder the visitor picked). */
  readonly weights: WeightsSource;
  /** Where tfjs-wasm's .wasm files are: a folder URL, or a URL per file name (e.g. blob: URLs). */
  readonly wasmPaths?: string | Record<string, string>;
  readonly examples?: readonly ExampleStyle[];
  /** 'upload': the panel shows a content picker; 'host': the host calls setContent (Figma selection, VS Code file). */
  readonly contentSource: 'upload' | 'host';
  readonly settings?: Partial<PanelSettings>;
  readonly onSettingsChange?: (settings: PanelSettings) => void;
  readonly onResult?: (result: PanelResult) => void;
  /** Buttons shown once a result exists: Download, Save, Place in Figma, … */
  readonly resultActions?: readonly { label: string; run(result: PanelResult): void | Promise<void> }[];
  /** Called when the weights cannot be loaded, after the panel has shown the error. */
  readonly onWeightsError?: (message: string) => void;
  /** Called once the network is ready, with the backend that runs it. */
  readonly onReady?: (backend: string) => void;
  /** Called when a run starts (after the checks), e.g. to remember which input the result belongs to. */
  readonly onRunStart?: () => void;
  /** Every error the panel shows (also shown in the panel), e.g. for a host's own notifications. */
  readonly onError?: (message: string) => void;
  /** Every progress report of a run, e.g. for a host's status bar. */
  readonly onProgress?: (progress: StylizeProgress) => void;
  /** Nonce for the panel's <style> element under a Content-Security-Policy. */
  readonly styleNonce?: string;
  /** Words for the thing being stylized in messages ("photo", "layer", "image"); default "photo". */
  readonly contentNoun?: string;
}

export interface StylizePanel {
  readonly element: HTMLElement;
  setContent(bytes: Uint8Array | Blob, name: string): Promise<void>;
  addStyle(bytes: Uint8Array, name: string): void;
  setWeights(source: WeightsSource): void;
  showMessage(text: string, kind?: 'info' | 'error'): void;
  settings(): PanelSettings;
  dispose(): void;
}

const BACKEND_LABELS: Record<string, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

/** Turns engine and browser failures into sentences a non-expert can act on. */
export function friendlyError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/out of memory|OOM|allocation failed|Failed to allocate|CONTEXT_LOST/i.test(message)) {
    return 'The graphics card ran out of memory. Try a smaller size.';
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function mountStylizePanel(root: HTMLElement, options: PanelOptions): StylizePanel {
  injectPanelCss(root.ownerDocument, options.styleNonce);
  let settings = sanitizeSettings({ ...options.settings });
  let weightsSource = options.weights;
  let session: Promise<BrowserSession> | null = null;
  let content: { image: RgbaImage; name: string } | null = null;
  let running: AbortController | null = null;

  const message = h('div', { class: 'ip-message', role: 'status', 'data-testid': 'message' });
  const showMessage = (text: string, kind: 'info' | 'error' = 'info') => {
    message.textContent = text;
    message.className = `ip-message ${kind}`;
    if (kind === 'error' && text) options.onError?.(text);
  };
  const picker = createStylePicker(options.examples ?? [], (m) => showMessage(m, 'error'));
  const canvas = h('canvas', { 'data-testid': 'preview', width: 1, height: 1 });
  const draw = (image: RgbaImage) => {
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')?.putImageData(imageDataOf(image), 0, 0);
  };
  const progress = h('progress', { class: 'ip-progress', max: 1, value: 0, 'data-testid': 'progress' });
  const status = h('div', { class: 'ip-status', 'data-testid': 'status' });
  const backendLine = h('div', { class: 'ip-backend', 'data-testid': 'backend' });
  const actions = h('div', { class: 'ip-actions', 'data-testid': 'result-actions' });

  const update = (patch: Partial<PanelSettings>) => {
    const before = settings.backend;
    settings = sanitizeSettings({ ...settings, ...patch });
    options.onSettingsChange?.(settings);
    if (settings.backend !== before) resetSession();
  };

  const numberField = (label: string, key: 'iterations' | 'seed', min: number, max: number) =>
    h(
      'label',
      {},
      label,
      h('input', {
        type: 'number',
        min,
        max,
        value: settings[key],
        'data-testid': key,
        onChange: (e: Event) => update({ [key]: Number((e.target as HTMLInputElement).value) }),
      }),
    );

  const select = (label: string, key: 'size' | 'optimizer' | 'backend', choices: readonly (string | number)[]) =>
    h(
      'label',
      {},
      label,
      h(
        'select',
        {
          'data-testid': key === 'backend' ? 'compute' : key,
          onChange: (e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            update({ [key]: key === 'size' ? Number(v) : v });
          },
        },
        ...choices.map((c) => h('option', { value: c, selected: String(settings[key]) === String(c) }, String(c))),
      ),
    );

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
              if (file) await setContent(file, file.name);
            },
          }),
        )
      : null;

  const startButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'start', onClick: () => void start() },
    'Stylize',
  );
  const cancelButton = h(
    'button',
    { type: 'button', 'data-testid': 'cancel', disabled: true, onClick: () => running?.abort() },
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
          value: settings.strength,
          'data-testid': 'strength',
          onInput: (e: Event) => update({ strength: Number((e.target as HTMLInputElement).value) }),
        }),
      ),
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          checked: settings.keepColors,
          'data-testid': 'keep-colors',
          onChange: (e: Event) => update({ keepColors: (e.target as HTMLInputElement).checked }),
        }),
        'Keep original colours',
      ),
      select('Size (px)', 'size', sizeChoicesFor(settings.size)),
      numberField('Iterations', 'iterations', 1, 2000),
      h(
        'details',
        {},
        h('summary', {}, 'Advanced'),
        select('Optimizer', 'optimizer', ['lbfgs', 'adam']),
        numberField('Seed', 'seed', 0, 2 ** 31 - 1),
        select('Compute', 'backend', ['auto', 'webgpu', 'webgl', 'wasm', 'cpu']),
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
    if (options.contentSource === 'upload') await setContent(file, file.name);
    else picker.add(await bytesOf(file), file.name);
  });

  function resetSession() {
    const old = session;
    session = null;
    void old?.then((s) => s.dispose()).catch(() => {});
  }

  function getSession(): Promise<BrowserSession> {
    if (!session) {
      backendLine.textContent = 'Loading the network…';
      const weights = weightsSource;
      const onWeightsProgress: WeightsProgress = (loaded, total) => {
        progress.value = total > 0 ? loaded / total : 0;
        status.textContent = `Loading weights: ${Math.round((100 * loaded) / Math.max(1, total))}%`;
      };
      session = (async () => {
        const s = await createBrowserSession({
          weights: typeof weights === 'string' ? weights : await weights(onWeightsProgress),
          backend: settings.backend,
          ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
          onWeightsProgress,
        });
        const fallback = s.engine.unavailable.map(
          (u) => `${BACKEND_LABELS[u.name] ?? u.name} unavailable (${u.reason})`,
        );
        backendLine.textContent = `Running on ${BACKEND_LABELS[s.engine.backend] ?? s.engine.backend}${fallback.length ? ` — ${fallback.join('; ')}` : ''}`;
        backendLine.dataset.backend = s.engine.backend;
        status.textContent = '';
        progress.value = 0;
        options.onReady?.(s.engine.backend);
        return s;
      })();
      session.catch((e) => {
        session = null;
        const text = `Could not load the network: ${friendlyError(e)}`;
        backendLine.textContent = '';
        showMessage(text, 'error');
        options.onWeightsError?.(text);
      });
    }
    return session;
  }

  async function setContent(bytes: Uint8Array | Blob, name: string) {
    try {
      content = { image: await decodeImage(bytes, name), name };
      draw(content.image);
      showMessage('');
    } catch (e) {
      showMessage(friendlyError(e), 'error');
    }
  }

  const onProgress = (p: StylizeProgress) => {
    progress.value = p.iteration / p.iterations;
    status.textContent = `Iteration ${p.iteration}/${p.iterations} · loss ${formatLoss(p.loss.total)} (content ${formatLoss(p.loss.content)}, style ${formatLoss(p.loss.style)}) · ${formatDuration(p.remainingMs)} left`;
    if (p.preview) draw(p.preview);
    options.onProgress?.(p);
  };

  function setBusy(busy: boolean) {
    startButton.disabled = busy;
    cancelButton.disabled = !busy;
  }

  function showResult(r: PanelResult) {
    actions.replaceChildren(
      ...(options.resultActions ?? []).map((a) =>
        h(
          'button',
          {
            type: 'button',
            'data-testid': `action-${a.label}`,
            onClick: async () => {
              try {
                await a.run(r);
              } catch (e) {
                showMessage(friendlyError(e), 'error');
              }
            },
          },
          a.label,
        ),
      ),
    );
    options.onResult?.(r);
  }

  async function start() {
    if (running) return;
    const styles = picker.chosen();
    if (!content) return showMessage(`Choose a ${options.contentNoun ?? 'photo'} first.`, 'error');
    if (styles.length === 0) return showMessage('Choose at least one style.', 'error');
    running = new AbortController();
    const signal = running.signal;
    options.onRunStart?.();
    setBusy(true);
    actions.replaceChildren();
    showMessage('');
    try {
      const s = await getSession();
      if (signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const decoded = await Promise.all(
        styles.map(async (st) => ({
          image: await decodeImage(st.bytes, st.name),
          weight: st.weight,
          ...(st.mask ? { mask: await decodeImage(st.mask.bytes, st.mask.name) } : {}),
        })),
      );
      const { result: r, png } = await s.stylizeImages(
        content.image,
        decoded,
        toStylizeOptions(settings, s.engine.layers),
        {
          onProgress,
          signal,
        },
      );
      draw(r.image);
      status.textContent = `Done: ${r.iterations} iterations in ${formatDuration(r.elapsedMs)}`;
      showResult({ png, width: r.image.width, height: r.image.height });
    } catch (e) {
      if ((e as Error).name === 'AbortError') {
        showMessage('Cancelled.');
        status.textContent = '';
        progress.value = 0;
      } else {
        showMessage(friendlyError(e), 'error');
      }
    } finally {
      running = null;
      setBusy(false);
    }
  }

  void getSession();

  return {
    element,
    setContent,
    addStyle: (bytes, name) => picker.add(bytes, name),
    setWeights(source) {
      weightsSource = source;
      resetSession();
      showMessage('');
      void getSession();
    },
    showMessage,
    settings: () => settings,
    dispose() {
      running?.abort();
      resetSession();
      picker.clear();
      element.remove();
    },
  };
}
