/**
 * A stand-in for Figma around the plugin UI: loads ui.html into a sandboxed iframe (origin null, as in Figma) and
 * answers its requests with the real protocol, as the sandbox would, from canned layers and PNG bytes.
 */
import type { JsonObject, NodeSummary, ToSandbox, ToUi } from '../src/protocol.js';

export interface StandInLayer {
  readonly node: NodeSummary;
  /** What exporting it gives, whatever size is asked. */
  readonly png: number[];
  readonly width: number;
  readonly height: number;
}

export interface StandInSetup {
  readonly html: string;
  readonly settings: JsonObject | null;
  /** The weights URL clientStorage holds (null: none set). */
  readonly weightsUrl?: string | null;
  readonly content: StandInLayer;
  readonly style: StandInLayer | null;
}

declare global {
  interface Window {
    startPlugin(setup: StandInSetup): void;
    /** Everything the UI sent, in order (bytes as number arrays, for Playwright). */
    fromUi: unknown[];
  }
}

window.fromUi = [];

window.startPlugin = (setup) => {
  const iframe = document.createElement('iframe');
  iframe.sandbox.add('allow-scripts');
  iframe.style.cssText = 'width: 360px; height: 640px; border: 0';
  iframe.srcdoc = setup.html;
  document.body.append(iframe);

  const post = (message: ToUi) =>
    iframe.contentWindow?.postMessage({ pluginMessage: message, pluginId: 'stand-in' }, '*');
  const layers = [setup.content, ...(setup.style ? [setup.style] : [])];

  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow) return;
    const message = (event.data as { pluginMessage?: ToSandbox }).pluginMessage;
    if (!message) return;
    window.fromUi.push(
      'png' in message ? { ...message, png: Array.from(message.png) } : JSON.parse(JSON.stringify(message)),
    );
    switch (message.type) {
      case 'ready':
        post({ type: 'init', settings: setup.settings, weightsUrl: setup.weightsUrl ?? null });
        post({
          type: 'selection',
          selection: { kind: 'ready', content: setup.content.node, style: setup.style?.node ?? null },
        });
        break;
      case 'export': {
        const layer = layers.find((l) => l.node.id === message.nodeId);
        if (!layer)
          post({ type: 'failed', requestId: message.requestId, message: 'The selected layer no longer exists' });
        else
          post({
            type: 'exported',
            requestId: message.requestId,
            role: message.role,
            node: layer.node,
            png: new Uint8Array(layer.png),
            width: layer.width,
            height: layer.height,
          });
        break;
      }
      case 'place':
        post({
          type: 'placed',
          requestId: message.requestId,
          nodeId: '9:99',
          name: `${setup.content.node.name} (Impasto)`,
        });
        break;
      default:
        break;
    }
  });
};
