/**
 * What the webview adds around the shared panel: the weights' progress, which the engine worker reports as it
 * fetches them, passed on to the extension so VS Code shows its own notification too.
 */
import type { StylizePanel } from '@impasto/ui';
import type { HostChannel } from './host-bridge.js';

/** At most one progress message per `intervalMs` (and always the last), then `weightsLoaded` once the engine is up. */
export function relayWeightsProgress(panel: StylizePanel, host: HostChannel, intervalMs = 100): void {
  let lastPost = 0;
  let loading = false;
  panel.controller.on('change', ({ state }) => {
    const engine = state.engine;
    if (engine.status !== 'loading' || !engine.weights) return;
    const { loaded, total } = engine.weights;
    const now = performance.now();
    if (loaded < total && now - lastPost < intervalMs) return;
    lastPost = now;
    loading = true;
    host.emit('weightsProgress', { loaded, total });
  });
  panel.controller.on('engine-ready', () => {
    if (loading) host.emit('weightsLoaded');
    loading = false;
  });
}
