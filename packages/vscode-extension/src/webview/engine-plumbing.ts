/** What the webview adds around the shared panel: weights progress reported to VS Code, the CSP nonce for styles. */
import { loadWeightsFromUrl, type Vgg19Weights, type WeightsProgress } from '@impasto/engine/browser';
import type { HostBridge } from './host-bridge.js';

/**
 * Loads the weights from the URL the extension gave, reporting progress to the panel (`onProgress`) and to the
 * extension, so VS Code shows its own notification too.
 */
export async function loadWeightsReporting(
  url: string,
  bridge: HostBridge,
  onProgress?: WeightsProgress,
): Promise<Vgg19Weights> {
  let lastPost = 0;
  const weights = await loadWeightsFromUrl(url, {
    onProgress: (loaded, total) => {
      onProgress?.(loaded, total);
      const now = performance.now();
      if (loaded < total && now - lastPost < 100) return;
      lastPost = now;
      bridge.post({ type: 'weightsProgress', loaded, total });
    },
  });
  bridge.post({ type: 'weightsLoaded' });
  return weights;
}
