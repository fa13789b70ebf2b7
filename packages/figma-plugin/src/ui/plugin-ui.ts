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
import type { JsonObject, NodeSummary, SelectionState } from '../protocol.js';
import type { Bridge } from './bridge.js';
import { createSelectionBar } from './selection-bar.js';
import { createWeightsSetting } from './weights-setting.js';

export interface PluginUiOptions {
  readonly root: HTMLElement;
  readonly bridge: Bridge;
  /** The build's default weights URL, and the origins its manifest allows (a user's URL must be among them). */
  readonly weightsUrl: string;
  readonly allowedDomains: readonly string[];
  readonly examples: readonly ExampleStyle[];
  readonly wasmPaths?: PanelOptions['wasmPaths'];
  readonly engineWorker?: PanelOptions['engineWorker'];
  /** How long settings must rest before they are saved, ms. */
  readonly saveDelayMs?: number;
}

export function startPluginUi(options: PluginUiOptions): void {
  const { bridge, root } = options;
  let panel: StylizePanel | null = null;
  let selection: SelectionState = { kind: 'empty', message: '' };
  let swapped = false;
  /** The layer whose export the panel holds, at which size. */
  let content: { node: NodeSummary; size: number } | null = null;
  /** The layer the running stylization came from: its result goes beside it. */
  let runContent: NodeSummary | null = null;
  let contentTicket = 0;
  /** The last export asked for ("id@size"): a failed one is not retried for every settings change. */
  let asked: string | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why the network could not load; the panel clears its message when content arrives, so it is shown again. */
  let weightsError: string | null = null;

  const targets = () => {
    if (selection.kind !== 'ready') return { content: null, other: null };
    const { content: first, style: second } = selection;
    return swapped && second ? { content: second, other: first } : { content: first, other: second };
  };

  const bar = createSelectionBar({
    swap() {
      swapped = !swapped;
      refresh();
    },
    useOtherAsStyle() {
      const other = targets().other;
      if (!panel || !other) return;
      const p = panel;
      bridge
        .request({ type: 'export', nodeId: other.id, role: 'style', size: p.settings().size })
        .then((r) => p.addStyle(r.png, r.node.name))
        .catch((e) => p.showMessage(messageOf(e), 'error'));
    },
  });

  /** Shows the selection and exports the content layer when it (or the size) changed. */
  function refresh() {
    const t = targets();
    bar.show({ ...t, message: selection.kind === 'ready' ? '' : selection.message });
    if (!panel || !t.content) return;
    const size = panel.settings().size;
    const key = `${t.content.id}@${size}`;
    if (key === asked) return;
    asked = key;
    const p = panel;
    const ticket = ++contentTicket;
    bridge
      .request({ type: 'export', nodeId: t.content.id, role: 'content', size })
      .then(async (r) => {
        if (ticket !== contentTicket) return;
        await p.setContent(r.png, r.node.name);
        content = { node: r.node, size };
        if (weightsError) p.showMessage(weightsError, 'error');
      })
      .catch((e) => {
        if (ticket === contentTicket) p.showMessage(messageOf(e), 'error');
      });
  }

  async function place(result: PanelResult) {
    if (!panel) return;
    if (!runContent) throw new Error('there is no layer to place the result beside');
    const placed = await bridge.request({ type: 'place', originalId: runContent.id, png: result.png });
    panel.showMessage(`Placed “${placed.name}” beside “${runContent.name}”.`);
  }

  function mount(settings: JsonObject | null, storedWeightsUrl: string | null) {
    if (panel) return;
    const host = document.createElement('div');
    const weightsSetting = createWeightsSetting({
      stored: storedWeightsUrl,
      defaultUrl: options.weightsUrl,
      allowedDomains: options.allowedDomains,
      onApply(url, stored) {
        bridge.send({ type: 'save-weights-url', url: stored });
        weightsError = null;
        panel?.setWeights(url);
      },
    });
    root.append(bar.element, host, weightsSetting.element);
    panel = mountStylizePanel(host, {
      weights: storedWeightsUrl ?? options.weightsUrl,
      examples: options.examples,
      ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
      ...(options.engineWorker ? { engineWorker: options.engineWorker } : {}),
      contentSource: 'host',
      settings: settings ?? {},
      resultActions: [{ label: 'Place again', run: place }],
    });
    const events = panel.controller;
    // The panel reads its content when a run starts: note which layer that content came from.
    events.on('started', () => {
      runContent = content?.node ?? null;
    });
    events.on('settings', ({ settings: s }) => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(
        () => bridge.send({ type: 'save-settings', settings: { ...s } }),
        options.saveDelayMs ?? 300,
      );
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
      bridge.send({ type: 'notify', message, error: true });
    });
    refresh();
  }

  bridge.onMessage((m) => {
    if (m.type === 'init') mount(m.settings, m.weightsUrl);
    else {
      selection = m.selection;
      asked = null; // a new selection, even of the same layer, is a new try
      refresh();
    }
  });
  bridge.send({ type: 'ready' });
}
