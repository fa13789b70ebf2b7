/** The webview page: asks the extension for the image and settings, then mounts the stylize panel. */
import type { BrowserSession } from '@impasto/engine/browser';
import type { HostMessage } from '../protocol.js';
import { loadWeightsReporting, startSession } from './engine-plumbing.js';
import { connectToHost } from './host-bridge.js';
import { mountMinimalPanel, type PanelSettings } from './minimal-panel.js';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const root = document.getElementById('impasto-root');
  if (!root) throw new Error('the page has no #impasto-root');
  const bridge = connectToHost();
  const initMessage = bridge.next('init');
  bridge.post({ type: 'ready' });
  const init = await initMessage;

  let starting: Promise<BrowserSession> | undefined;
  const session = () => {
    starting ??= loadWeightsReporting(init.weightsUrl, bridge)
      .then((weights) => startSession(weights, init.defaults.backend, init.wasmUrl, bridge))
      .catch((e: unknown) => {
        starting = undefined; // the next Stylize tries again
        throw e;
      });
    return starting;
  };

  const saved = bridge.getState<{ settings?: PanelSettings }>()?.settings;
  let nextSaveId = 1;
  const panel = mountMinimalPanel(root, {
    session,
    examples: init.examples,
    settings: saved ?? { size: init.defaults.size, iterations: init.defaults.iterations, strength: 50 },
    onSettingsChange: (settings) => bridge.setState({ settings }),
    onPickStyle: () => bridge.post({ type: 'pickStyle' }),
    onProgress: (p) =>
      bridge.post({ type: 'progress', iteration: p.iteration, iterations: p.iterations, remainingMs: p.remainingMs }),
    onFinished: (r) => bridge.post({ type: 'finished', width: r.width, height: r.height, elapsedMs: r.elapsedMs }),
    onCancelled: () => bridge.post({ type: 'cancelled' }),
    onError: (message) => bridge.post({ type: 'error', message }),
    resultActions: [
      {
        label: `Save ${init.saveName}`,
        async run(r) {
          const id = nextSaveId++;
          const reply = new Promise<Extract<HostMessage, { type: 'saveResult' }>>((resolve) => {
            const stop = bridge.onMessage((m) => {
              if (m.type === 'saveResult' && m.id === id) {
                stop();
                resolve(m);
              }
            });
          });
          bridge.post({ type: 'save', id, png: r.png, width: r.width, height: r.height });
          const { outcome, message } = await reply;
          panel.showMessage(message, outcome === 'failed' ? 'error' : 'info');
        },
      },
    ],
  });
  panel.setContent(init.content.bytes, init.content.name);
  bridge.onMessage((m) => {
    if (m.type === 'style') panel.addStyle(m.bytes, m.name);
  });
  // Load the weights now, so their progress shows while the user picks a style.
  session().catch((e: unknown) => {
    panel.showMessage(messageOf(e), 'error');
    bridge.post({ type: 'error', message: messageOf(e) });
  });
}

void main();
