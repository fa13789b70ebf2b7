/** The panel's small pieces besides the style picker and the settings: each builds its elements and renders state. */
import { imageDataOf, type RgbaImage } from '@impasto/engine/browser';
import type { PanelController, PanelResult, PanelState } from './controller.js';
import { bytesOf, h } from './dom.js';
import { errorInWords } from './error-words.js';
import { backendText, progressValue, statusText } from './panel-text.js';

export type ResultAction = { label: string; run(result: PanelResult): void | Promise<void> };

/** The photo picker, in 'upload' mode. */
export function contentPicker(controller: PanelController) {
  const onChange = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) await controller.setContent(file, file.name);
  };
  const attrs = { type: 'file', accept: 'image/*', 'data-testid': 'content-upload', onChange };
  return h(
    'label',
    { class: 'ip-drop' },
    'Photo',
    h('input', { ...attrs, 'aria-label': 'choose the photo to stylize' }),
  );
}

/** The preview canvas; a file dropped on it sets the content ('upload') or adds a style ('host'). */
export function createPreview(controller: PanelController, contentSource: 'upload' | 'host') {
  const canvas = h('canvas', { 'data-testid': 'preview', width: 1, height: 1 });
  const element = h('div', { class: 'ip-preview ip-drop' }, canvas);
  element.addEventListener('dragover', (e) => {
    e.preventDefault();
    element.classList.add('dragging');
  });
  element.addEventListener('dragleave', () => element.classList.remove('dragging'));
  element.addEventListener('drop', async (e) => {
    e.preventDefault();
    element.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    if (contentSource === 'upload') await controller.setContent(file, file.name);
    else controller.addStyle(await bytesOf(file), file.name);
  });
  let drawn: RgbaImage | null = null;
  const render = ({ preview }: PanelState) => {
    if (!preview || preview === drawn) return;
    drawn = preview;
    canvas.width = drawn.width;
    canvas.height = drawn.height;
    canvas.getContext('2d')?.putImageData(imageDataOf(drawn), 0, 0);
  };
  return { element, render };
}

/** Stylize and Cancel, the progress bar, the status, backend and message lines. */
export function createRunControls(controller: PanelController) {
  const button = (testId: string, label: string, onClick: () => void, primary = false) =>
    h('button', { type: 'button', ...(primary ? { class: 'primary' } : {}), 'data-testid': testId, onClick }, label);
  const start = button('start', 'Stylize', () => void controller.start(), true);
  const cancel = button('cancel', 'Cancel', () => controller.cancel());
  cancel.disabled = true;
  const progress = h('progress', { class: 'ip-progress', max: 1, value: 0, 'data-testid': 'progress' });
  const status = h('div', { class: 'ip-status', 'data-testid': 'status' });
  const backend = h('div', { class: 'ip-backend', 'data-testid': 'backend' });
  const message = h('div', { class: 'ip-message', role: 'status', 'data-testid': 'message' });
  const render = (state: PanelState) => {
    progress.value = progressValue(state);
    status.textContent = statusText(state);
    backend.textContent = backendText(state.engine);
    if (state.engine.status === 'ready' && state.engine.backend) backend.dataset.backend = state.engine.backend;
    message.textContent = state.message.text;
    message.className = `ip-message ${state.message.kind}`;
    const busy = state.run.status === 'running';
    start.disabled = busy || state.checking !== null;
    cancel.disabled = !busy;
  };
  const buttons = h('div', { class: 'ip-actions' }, start, cancel);
  return { elements: [buttons, progress, status, backend, message], render };
}

/** The host's result buttons; they act on exactly what the preview shows: a result, or what a cancelled run reached. */
export function createResultActions(controller: PanelController, actions: readonly ResultAction[]) {
  const element = h('div', { class: 'ip-actions', 'data-testid': 'result-actions' });
  const onClick = (action: ResultAction, result: PanelResult) => async () => {
    try {
      await action.run(result);
    } catch (e) {
      controller.showMessage(errorInWords(e), 'error');
    }
  };
  const buttons = (result: PanelResult) =>
    actions.map((a) =>
      h('button', { type: 'button', 'data-testid': `action-${a.label}`, onClick: onClick(a, result) }, a.label),
    );
  let shown: PanelResult | null = null;
  const render = ({ run }: PanelState) => {
    const result = run.status === 'done' ? run.result : run.status === 'cancelled' ? (run.partial ?? null) : null;
    if (result === shown) return;
    shown = result;
    element.replaceChildren(...(result ? buttons(result) : []));
  };
  return { element, render };
}
