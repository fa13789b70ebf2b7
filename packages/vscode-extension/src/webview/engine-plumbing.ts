/** What the webview needs from the engine besides the UI: weights with progress to the host, layer choice. */
import {
  type BrowserSession,
  type ConvLayerName,
  createBrowserSession,
  LAYER_PRESETS,
  loadWeightsFromUrl,
  type Vgg19Weights,
} from '@impasto/engine/browser';
import type { BackendSetting } from '../protocol.js';
import type { HostBridge } from './host-bridge.js';

/** Loads the weights from the URL the extension gave, reporting progress so VS Code can show its notification. */
export function loadWeightsReporting(url: string, bridge: HostBridge): Promise<Vgg19Weights> {
  let lastPost = 0;
  return loadWeightsFromUrl(url, {
    onProgress: (loaded, total) => {
      const now = performance.now();
      if (loaded < total && now - lastPost < 100) return;
      lastPost = now;
      bridge.post({ type: 'weightsProgress', loaded, total });
    },
  });
}

/** Starts the engine on the preferred backend and tells the extension which one runs (and which could not). */
export async function startSession(
  weights: Vgg19Weights,
  backend: BackendSetting,
  wasmPaths: string,
  bridge: HostBridge,
): Promise<BrowserSession> {
  const session = await createBrowserSession({ weights, backend, wasmPaths });
  bridge.post({
    type: 'engineReady',
    backend: session.engine.backend,
    unavailable: session.engine.unavailable.map((u) => ({ name: u.name, reason: u.reason })),
  });
  return session;
}

/** The paper's layers when the weights have them, else the shallow set (e.g. partial weights). */
export function layersFor(available: readonly ConvLayerName[]): (typeof LAYER_PRESETS)[keyof typeof LAYER_PRESETS] {
  const has = (p: { contentLayers: readonly ConvLayerName[]; styleLayers: readonly ConvLayerName[] }) =>
    [...p.contentLayers, ...p.styleLayers].every((l) => available.includes(l));
  if (has(LAYER_PRESETS.paper)) return LAYER_PRESETS.paper;
  if (has(LAYER_PRESETS.shallow)) return LAYER_PRESETS.shallow;
  throw new Error(
    `the weights hold only ${available.join(', ') || 'no layers'}; Impasto needs at least conv1_1…conv3_2`,
  );
}
