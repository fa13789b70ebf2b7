/**
 * The plugin UI: the shared stylize panel fed from Figma. The selected layer becomes the panel's content (exported
 * at the chosen size), the other selected layer can be added as a style, each result is placed beside the layer it
 * came from, and the settings are kept by the sandbox.
 */
import { messageOf } from '@impasto/errors';
import {
  type ExampleStyle,
  mountStylizePanel,
  type PanelOptions,
  type PanelResult,
  type StylizePanel,
} from '@impasto/ui';
import type { JsonObject, NodeSummary, SelectionState, UiChannel } from '../protocol.js';
import { createContentSync } from './content-sync.js';
import { createSelectionBar } from './selection-bar.js';
import { createWeightsSetting } from './weights-setting.js';

export interface PluginUiOptions {
  readonly root: HTMLElement;
  readonly sandbox: UiChannel;
  /** The build's default weights URL, and the origins its manifest allows (a user's URL must be among them). */
  readonly weightsUrl: string;
  readonly allowedDomains: readonly string[];
  readonly examples: readonly ExampleStyle[];
  readonly wasmPaths?: PanelOptions['wasmPaths'];
  readonly engineWorker?: PanelOptions['engineWorker'];
  /** How long settings must rest before they are saved, ms. */
  readonly saveDelayMs?: number;
}

/** The layer to stylize and the other selected one (swapped on request). */
function targets(selection: SelectionState, swapped: boolean) {
  if (selection.kind !== 'ready') return { content: null, other: null };
  const { content: first, style: second } = selection;
  return swapped && second ? { content: second, other: first } : { content: first, other: second };
}

/** Exports `layer` and adds it to the panel's styles. */
function addStyleFrom(sandbox: UiChannel, panel: StylizePanel, layer: NodeSummary) {
  sandbox
    .request('export', { nodeId: layer.id, role: 'style', size: panel.settings().size })
    .then((r) => panel.addStyle(r.png, r.node.name))
    .catch((e) => panel.showMessage(messageOf(e), 'error'));
}

/** The weights URL field: a URL the user applies is kept by the sandbox, then `apply`ed. */
function weightsSettingFor(options: PluginUiOptions, stored: string | null, apply: (url: string) => void) {
  return createWeightsSetting({
    stored,
    defaultUrl: options.weightsUrl,
    allowedDomains: options.allowedDomains,
    onApply(url, storedUrl) {
      options.sandbox.emit('save-weights-url', { url: storedUrl });
      apply(url);
    },
  });
}

/** `run` with the latest argument, once calls have rested `ms`. */
function debounce<A>(run: (arg: A) => void, ms: number): (arg: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (arg) => {
    clearTimeout(timer);
    timer = setTimeout(() => run(arg), ms);
  };
}

export function startPluginUi(options: PluginUiOptions): void {
  const { sandbox, root } = options;
  let panel: StylizePanel | null = null;
  let selection: SelectionState = { kind: 'empty', message: '' };
  let swapped = false;
  /** Why the network could not load; the panel clears its message when content arrives, so it is shown again. */
  let weightsError: string | null = null;
  const content = createContentSync(sandbox, (p) => weightsError && p.showMessage(weightsError, 'error'));

  const bar = createSelectionBar({
    swap() {
      swapped = !swapped;
      refresh();
    },
    useOtherAsStyle() {
      const other = targets(selection, swapped).other;
      if (panel && other) addStyleFrom(sandbox, panel, other);
    },
  });

  /** Shows the selection and exports the content layer when it (or the size) changed. */
  function refresh() {
    const t = targets(selection, swapped);
    bar.show({ ...t, message: selection.kind === 'ready' ? '' : selection.message });
    if (panel && t.content) content.follow(panel, t.content);
  }

  async function place(result: PanelResult) {
    if (!panel) return;
    // The result names the layer it came from (its content id is the layer's id), wherever the selection is now.
    const placed = await sandbox.request('place', { originalId: result.content.id, png: result.png });
    panel.showMessage(`Placed “${placed.name}” beside “${result.content.name}”.`);
  }

  sandbox.on('init', ({ settings, weightsUrl }) => {
    if (panel) return;
    const weightsSetting = weightsSettingFor(options, weightsUrl, (url) => {
      weightsError = null;
      panel?.setWeights(url);
    });
    const host = document.createElement('div');
    root.append(bar.element, host, weightsSetting.element);
    panel = mountPanel(host, options, settings, weightsUrl, place);
    const events = panel.controller;
    const save = debounce(
      (s: JsonObject) => sandbox.emit('save-settings', { settings: s }),
      options.saveDelayMs ?? 300,
    );
    events.on('settings', ({ settings: s }) => {
      save({ ...s });
      refresh();
    });
    events.on('done', ({ result }) => {
      weightsError = null; // the network ran, so it loaded after all
      void place(result).catch((e) => panel?.showMessage(messageOf(e), 'error'));
    });
    events.on('engine-ready', () => weightsSetting.report('Weights loaded.', false));
    events.on('engine-failed', ({ message }) => {
      weightsError = message;
      weightsSetting.report(message, true);
      sandbox.emit('notify', { message, error: true });
    });
    refresh();
  });
  sandbox.on('selection', (s) => {
    selection = s;
    content.forget();
    refresh();
  });
  sandbox.emit('ready');
}

/** The shared panel, fed from Figma: content from the host, the result placed again on request. */
function mountPanel(
  host: HTMLElement,
  options: PluginUiOptions,
  settings: JsonObject | null,
  storedWeightsUrl: string | null,
  place: (result: PanelResult) => Promise<void>,
): StylizePanel {
  return mountStylizePanel(host, {
    weights: storedWeightsUrl ?? options.weightsUrl,
    examples: options.examples,
    ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
    ...(options.engineWorker ? { engineWorker: options.engineWorker } : {}),
    contentSource: 'host',
    settings: settings ?? {},
    resultActions: [{ label: 'Place again', run: place }],
  });
}
