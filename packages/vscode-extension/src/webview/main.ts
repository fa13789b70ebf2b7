/** The webview page: asks the extension for the image and settings, then mounts @impasto/ui's stylize panel. */
import '@impasto/engine/backends/browser'; // registers the tfjs backends the main-thread fallback may run on
import { workerFromSource } from '@impasto/engine/browser';
import { mountStylizePanel, type PanelSettings } from '@impasto/ui';
import { WEBVIEW_WORKER } from '../webview-assets.js';
import { relayWeightsProgress } from './engine-plumbing.js';
import { connectToHost } from './host-bridge.js';

async function main(): Promise<void> {
  const root = document.getElementById('impasto-root');
  if (!root) throw new Error('the page has no #impasto-root');
  const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
  const bridge = connectToHost();
  const { host } = bridge;
  const init = await host.request('ready');

  // The host's own way in for styles: a file from the workspace or disk, through VS Code's dialog.
  const pickStyle = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: 'Style from a file…',
    title: 'Pick a style image in VS Code',
  });
  pickStyle.dataset.testid = 'pick-style';
  pickStyle.addEventListener('click', () => host.emit('pickStyle'));
  root.append(pickStyle);

  const saved = bridge.getState<{ settings?: PanelSettings }>()?.settings;
  // Errors the panel shows are shown by VS Code too, except those the extension reported itself.
  const reportedByHost = new Set<string>();
  const panel = mountStylizePanel(root, {
    styleNonce: nonce,
    // The engine worker fetches them itself (and again after a restart): the page never holds a copy.
    weights: init.weightsUrl,
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
          const { outcome, message } = await host.request('save', { png: r.png, width: r.width, height: r.height });
          if (outcome === 'failed') reportedByHost.add(message);
          panel.showMessage(message, outcome === 'failed' ? 'error' : 'info');
        },
      },
    ],
  });
  panel.controller.on('message', ({ text, kind }) => {
    if (kind === 'error' && text && !reportedByHost.delete(text)) host.emit('error', { message: text });
  });
  panel.controller.on('settings', ({ settings }) => bridge.setState({ settings }));
  host.on('style', ({ bytes, name }) => panel.addStyle(bytes, name));
  relayWeightsProgress(panel, host);
  await panel.setContent(init.content.bytes, init.content.name);
}

void main();
