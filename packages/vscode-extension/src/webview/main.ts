/** The webview page: asks the extension for the image and settings, then mounts @impasto/ui's stylize panel. */
import '@impasto/engine/backends/browser'; // registers the tfjs backends the main-thread fallback may run on
import { type Vgg19Weights, type WeightsProgress, workerFromSource } from '@impasto/engine/browser';
import { mountStylizePanel, type PanelResult, type PanelSettings } from '@impasto/ui';
import type { HostMessage } from '../protocol.js';
import { WEBVIEW_WORKER } from '../webview-assets.js';
import { loadWeightsReporting } from './engine-plumbing.js';
import { connectToHost, type HostBridge } from './host-bridge.js';

type SaveReply = Extract<HostMessage, { type: 'saveResult' }>;

/** Sends the result to the extension to save and waits for its answer. */
function saveThroughHost(bridge: HostBridge, id: number, r: PanelResult): Promise<SaveReply> {
  const reply = new Promise<SaveReply>((resolve) => {
    const stop = bridge.onMessage((m) => {
      if (m.type === 'saveResult' && m.id === id) {
        stop();
        resolve(m);
      }
    });
  });
  bridge.post({ type: 'save', id, png: r.png, width: r.width, height: r.height });
  return reply;
}

async function main(): Promise<void> {
  const root = document.getElementById('impasto-root');
  if (!root) throw new Error('the page has no #impasto-root');
  const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
  const bridge = connectToHost();
  const initMessage = bridge.next('init');
  bridge.post({ type: 'ready' });
  const init = await initMessage;

  // The host's own way in for styles: a file from the workspace or disk, through VS Code's dialog.
  const pickStyle = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: 'Style from a file…',
    title: 'Pick a style image in VS Code',
  });
  pickStyle.dataset.testid = 'pick-style';
  pickStyle.addEventListener('click', () => bridge.post({ type: 'pickStyle' }));
  root.append(pickStyle);

  // Loaded once per page (switching backends reuses them); a failed load is tried again next time.
  let weights: Promise<Vgg19Weights> | undefined;
  const loadWeights = (onProgress: WeightsProgress) => {
    weights ??= loadWeightsReporting(init.weightsUrl, bridge, onProgress).catch((e: unknown) => {
      weights = undefined;
      throw e;
    });
    return weights;
  };

  const saved = bridge.getState<{ settings?: PanelSettings }>()?.settings;
  let nextSaveId = 1;
  // Errors the panel shows are shown by VS Code too, except those the extension reported itself.
  const reportedByHost = new Set<string>();
  const panel = mountStylizePanel(root, {
    styleNonce: nonce,
    weights: loadWeights,
    wasmPaths: init.wasmUrl,
    engineWorker: async () => {
      const response = await fetch(new URL(WEBVIEW_WORKER, import.meta.url));
      if (!response.ok) throw new Error(`${WEBVIEW_WORKER}: HTTP ${response.status}`);
      return workerFromSource(await response.text());
    },
    examples: init.examples,
    contentSource: 'host',
    contentNoun: 'image',
    settings: saved ?? init.defaults,
    resultActions: [
      {
        label: `Save ${init.saveName}`,
        async run(r) {
          const { outcome, message } = await saveThroughHost(bridge, nextSaveId++, r);
          if (outcome === 'failed') reportedByHost.add(message);
          panel.showMessage(message, outcome === 'failed' ? 'error' : 'info');
        },
      },
    ],
  });
  panel.controller.on('message', ({ text, kind }) => {
    if (kind === 'error' && text && !reportedByHost.delete(text)) bridge.post({ type: 'error', message: text });
  });
  panel.controller.on('settings', ({ settings }) => bridge.setState({ settings }));
  bridge.onMessage((m) => {
    if (m.type === 'style') panel.addStyle(m.bytes, m.name);
  });
  await panel.setContent(init.content.bytes, init.content.name);
}

void main();
