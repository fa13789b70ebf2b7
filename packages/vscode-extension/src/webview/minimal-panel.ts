/**
 * A minimal stylize panel used until @impasto/ui's mountStylizePanel is on main: same shape (host content, styles,
 * settings, result actions), plain DOM, VS Code's theme colours. Replace with the shared panel, do not grow it.
 */
import {
  type BrowserSession,
  formatDuration,
  formatLoss,
  type StylizeProgress,
  styleWeightForStrength,
} from '@impasto/engine/browser';
import { layersFor } from './engine-plumbing.js';

export interface PanelSettings {
  size: number;
  iterations: number;
  strength: number;
}

export interface PanelResult {
  png: Uint8Array;
  width: number;
  height: number;
}

export interface MinimalPanelOptions {
  session: () => Promise<BrowserSession>;
  examples: readonly { name: string; url: string }[];
  settings: PanelSettings;
  onSettingsChange?: (s: PanelSettings) => void;
  onPickStyle?: () => void;
  onProgress?: (p: StylizeProgress) => void;
  onFinished?: (r: PanelResult & { elapsedMs: number }) => void;
  onCancelled?: () => void;
  onError?: (message: string) => void;
  resultActions: { label: string; run(r: PanelResult): void | Promise<void> }[];
}

export interface MinimalPanel {
  setContent(bytes: Uint8Array, name: string): void;
  addStyle(bytes: Uint8Array, name: string): void;
  showMessage(text: string, kind: 'info' | 'error'): void;
  dispose(): void;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { testid?: string } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const { testid, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (testid) node.dataset.testid = testid;
  node.append(...children);
  return node;
}

export function mountMinimalPanel(root: HTMLElement, options: MinimalPanelOptions): MinimalPanel {
  const settings = { ...options.settings };
  const styles: { name: string; load: () => Promise<Uint8Array> }[] = options.examples.map((e) => ({
    name: e.name,
    load: async () => new Uint8Array(await (await fetch(e.url)).arrayBuffer()),
  }));
  let content: { bytes: Uint8Array; name: string } | undefined;
  let result: PanelResult | undefined;
  let running: AbortController | undefined;
  const urls: string[] = [];
  const blobUrl = (bytes: Uint8Array, type: string) => {
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    urls.push(url);
    return url;
  };

  const original = el('img', { alt: 'original', testid: 'original' });
  const output = el('img', { alt: 'result', testid: 'result' });
  const styleSelect = el('select', { testid: 'style' });
  const pick = el('button', { type: 'button', textContent: 'Other image…', testid: 'pick-style' });
  const number = (value: number, min: number, max: number, testid: string) =>
    el('input', { type: 'number', value: String(value), min: String(min), max: String(max), testid });
  const size = number(settings.size, 16, 2048, 'size');
  const iterations = number(settings.iterations, 1, 2000, 'iterations');
  const strength = el('input', { type: 'range', min: '0', max: '100', value: String(settings.strength) });
  strength.dataset.testid = 'strength';
  const run = el('button', { type: 'button', textContent: 'Stylize', testid: 'run', disabled: true });
  const cancel = el('button', { type: 'button', textContent: 'Cancel', testid: 'cancel', disabled: true });
  const actions = options.resultActions.map((a) =>
    el('button', { type: 'button', textContent: a.label, disabled: true, testid: 'result-action' }),
  );
  const progress = el('progress', { max: 1, value: 0, testid: 'progress' });
  const status = el('p', { className: 'status', testid: 'status' });
  const label = (text: string, input: HTMLElement) => el('label', {}, [text, input]);

  root.replaceChildren(
    el('section', { className: 'images' }, [
      el('figure', {}, [original, el('figcaption', { textContent: 'Original' })]),
      el('figure', {}, [output, el('figcaption', { textContent: 'Result' })]),
    ]),
    el('section', { className: 'controls' }, [
      label('Style ', styleSelect),
      pick,
      label('Strength ', strength),
      label('Size ', size),
      label('Iterations ', iterations),
      el('div', { className: 'buttons' }, [run, cancel, ...actions]),
      progress,
      status,
    ]),
  );

  const refreshStyles = (select?: number) => {
    styleSelect.replaceChildren(...styles.map((s, i) => el('option', { value: String(i), textContent: s.name })));
    if (select !== undefined) styleSelect.value = String(select);
  };
  refreshStyles(0);
  const showMessage = (text: string, kind: 'info' | 'error') => {
    status.textContent = text;
    status.dataset.kind = kind;
  };
  const readSettings = () => {
    settings.size = Number(size.value);
    settings.iterations = Number(iterations.value);
    settings.strength = Number(strength.value);
    options.onSettingsChange?.({ ...settings });
  };
  for (const input of [size, iterations, strength]) input.addEventListener('change', readSettings);
  const setRunning = (on: boolean) => {
    run.disabled = on || !content;
    cancel.disabled = !on;
    for (const a of actions) a.disabled = on || !result;
  };
  const onProgress = (p: StylizeProgress) => {
    progress.value = p.iteration / p.iterations;
    showMessage(
      `${p.iteration}/${p.iterations} · loss ${formatLoss(p.loss.total)} · ${formatDuration(p.remainingMs)} left`,
      'info',
    );
    if (p.preview) void setPreview(p.preview.width, p.preview.height, p.preview.data);
    options.onProgress?.(p);
  };
  const setPreview = async (width: number, height: number, data: Uint8Array | Uint8ClampedArray) => {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0);
    output.src = blobUrl(new Uint8Array(await (await canvas.convertToBlob()).arrayBuffer()), 'image/png');
  };

  pick.addEventListener('click', () => options.onPickStyle?.());
  cancel.addEventListener('click', () => running?.abort());
  run.addEventListener('click', async () => {
    const style = styles[Number(styleSelect.value)];
    if (!content || !style) return;
    readSettings();
    running = new AbortController();
    result = undefined;
    setRunning(true);
    progress.value = 0;
    try {
      showMessage('Starting…', 'info');
      const session = await options.session();
      const { result: r, png } = await session.stylizeBytes(
        content.bytes,
        [{ bytes: await style.load(), name: style.name }],
        {
          size: settings.size,
          iterations: settings.iterations,
          styleWeight: styleWeightForStrength(settings.strength),
          previewEvery: Math.max(1, Math.round(settings.iterations / 10)),
          ...layersFor(session.engine.layers),
        },
        { onProgress, signal: running.signal },
      );
      result = { png, width: r.image.width, height: r.image.height };
      output.src = blobUrl(png, 'image/png');
      showMessage(`Done in ${formatDuration(r.elapsedMs)} (${result.width}×${result.height})`, 'info');
      options.onFinished?.({ ...result, elapsedMs: r.elapsedMs });
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') {
        showMessage('Cancelled', 'info');
        options.onCancelled?.();
      } else {
        const message = e instanceof Error ? e.message : String(e);
        showMessage(message, 'error');
        options.onError?.(message);
      }
    } finally {
      running = undefined;
      setRunning(false);
    }
  });
  for (const [i, button] of actions.entries()) {
    button.addEventListener('click', async () => {
      const action = options.resultActions[i];
      if (!result || !action) return;
      button.disabled = true;
      try {
        await action.run(result);
      } finally {
        button.disabled = false;
      }
    });
  }

  return {
    setContent(bytes, name) {
      content = { bytes, name };
      original.src = blobUrl(bytes, '');
      original.alt = name;
      setRunning(false);
    },
    addStyle(bytes, name) {
      styles.push({ name, load: async () => bytes });
      refreshStyles(styles.length - 1);
    },
    showMessage,
    dispose() {
      running?.abort();
      for (const u of urls) URL.revokeObjectURL(u);
      root.replaceChildren();
    },
  };
}
