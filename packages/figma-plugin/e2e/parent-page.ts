/**
 * A stand-in for Figma around the plugin UI: loads ui.html into a sandboxed iframe (origin null, as in Figma) and
 * answers its requests with the real protocol, as the sandbox would, from canned layers and PNG bytes.
 */
import { connectUi, type FigmaUi, type JsonObject, type NodeSummary } from '../src/protocol.js';

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

/** Records what the UI sent, flat ({ type, ...payload }), bytes as number arrays. */
const record = (type: string, payload: object = {}) =>
  window.fromUi.push(
    'png' in payload && payload.png instanceof Uint8Array
      ? { type, ...payload, png: Array.from(payload.png) }
      : { type, ...JSON.parse(JSON.stringify(payload)) },
  );

window.startPlugin = (setup) => {
  const iframe = document.createElement('iframe');
  iframe.sandbox.add('allow-scripts');
  iframe.style.cssText = 'width: 360px; height: 640px; border: 0';
  iframe.srcdoc = setup.html;
  document.body.append(iframe);

  // figma.ui as the sandbox sees it: bare messages, wrapped for the iframe as Figma does.
  const figmaUi: FigmaUi = {
    postMessage: (message) => iframe.contentWindow?.postMessage({ pluginMessage: message, pluginId: 'stand-in' }, '*'),
    onmessage: undefined,
  };
  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow) return;
    const message = (event.data as { pluginMessage?: unknown }).pluginMessage;
    if (message) void figmaUi.onmessage?.(message, { origin: 'null' });
  });
  const ui = connectUi(figmaUi, (error) => record('rejected', { reason: error.reason }));
  const layers = [setup.content, ...(setup.style ? [setup.style] : [])];

  ui.on('ready', () => {
    record('ready');
    ui.emit('init', { settings: setup.settings, weightsUrl: setup.weightsUrl ?? null });
    ui.emit('selection', { kind: 'ready', content: setup.content.node, style: setup.style?.node ?? null });
  });
  ui.handle('export', (request) => {
    record('export', request);
    const layer = layers.find((l) => l.node.id === request.nodeId);
    if (!layer) throw new Error('The selected layer no longer exists');
    const { node, png, width, height } = layer;
    return { role: request.role, node, png: new Uint8Array(png), width, height };
  });
  ui.handle('place', (request) => {
    record('place', request);
    return { nodeId: '9:99', name: `${setup.content.node.name} (Impasto)` };
  });
  ui.on('save-settings', (m) => record('save-settings', m));
  ui.on('save-weights-url', (m) => record('save-weights-url', m));
  ui.on('notify', (m) => record('notify', m));
};
