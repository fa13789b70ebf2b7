/**
 * The panel's view: builds the DOM once from small pieces (style-picker, settings-view, panel-views), sends what a
 * person does to the controller, and renders the controller's state on every change. All behaviour lives in controller.ts; hosts subscribe to `panel.controller.on(…)`.
 */
import { decodeImage, encodePng, startEngine, type WasmLocation } from '@impasto/engine/browser';
import {
  createPanelController,
  type EngineStarter,
  type ExampleStyle,
  type PanelController,
  type PanelState,
  type WeightsSource,
} from './controller.js';
import { h } from './dom.js';
import {
  contentPicker,
  createPreview,
  createResultActions,
  createRunControls,
  type ResultAction,
} from './panel-views.js';
import type { PanelSettings } from './settings.js';
import { createSettingsView } from './settings-view.js';
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
  readonly resultActions?: readonly ResultAction[];
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
  /**
   * Reads and checks a photo at once; resolves true when it is now the content. `id` (default: the name) names it
   * in `started` and in the result, so a host knows which of its objects a result came from.
   */
  setContent(bytes: Uint8Array | Blob, name: string, id?: string): Promise<boolean>;
  /** Reads and checks a style image at once; resolves true when it was added. */
  addStyle(bytes: Uint8Array, name: string): Promise<boolean>;
  setWeights(source: WeightsSource): void;
  showMessage(text: string, kind?: 'info' | 'error'): void;
  settings(): PanelSettings;
  dispose(): void;
}

export function mountStylizePanel(root: HTMLElement, options: PanelOptions): StylizePanel {
  injectPanelCss(root.ownerDocument, options.styleNonce);
  const controller = createPanelController({
    weights: options.weights,
    decode: decodeImage,
    encode: encodePng,
    startEngine: engineStarter(options),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.contentNoun ? { contentNoun: options.contentNoun } : {}),
  });
  const picker = createStylePicker(controller, options.examples ?? []);
  const preview = createPreview(controller, options.contentSource);
  const settings = createSettingsView(controller);
  const run = createRunControls(controller);
  const results = createResultActions(controller, options.resultActions ?? []);
  const element = h(
    'div',
    { class: 'impasto-panel' },
    options.contentSource === 'upload' ? contentPicker(controller) : null,
    preview.element,
    picker.element,
    settings.element,
    ...run.elements,
    results.element,
  );
  root.append(element);
  const render = (state: PanelState) => {
    for (const view of [settings, preview, run, results]) view.render(state);
    picker.render(state.styles);
    const busy = state.run.status === 'running';
    element.classList.toggle('ip-busy', busy || state.checking !== null);
    element.classList.toggle('ip-running', busy);
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

/** The engine starter the panel gives its controller: the host's worker and WebAssembly files, where it has them. */
function engineStarter({ wasmPaths, engineWorker }: PanelOptions): EngineStarter {
  return (request) =>
    startEngine({
      ...request,
      ...(wasmPaths ? { wasmPaths } : {}),
      ...(engineWorker ? { worker: engineWorker } : {}),
    });
}
