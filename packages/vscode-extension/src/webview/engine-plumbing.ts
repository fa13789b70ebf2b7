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

/**
 * Runs `mount` while <style> elements appended to <head> get the page's CSP nonce: @impasto/ui injects its
 * stylesheet that way, and the webview's CSP allows no other inline styles. (A `styleNonce` panel option would
 * replace this.)
 */
export function withStyleNonce<T>(nonce: string, mount: () => T): T {
  const head = document.head;
  const append = head.append;
  head.append = (...nodes: (Node | string)[]) => {
    for (const n of nodes) if (n instanceof HTMLStyleElement) n.setAttribute('nonce', nonce);
    append.apply(head, nodes);
  };
  try {
    return mount();
  } finally {
    Reflect.deleteProperty(head, 'append');
  }
}

/**
 * Calls `onError` for each error the panel shows on its message line (a run failing, the GPU lost), so VS Code shows
 * it too. Texts passed to `alreadyShown` first are skipped (the extension reported them itself).
 */
export function watchPanelErrors(
  panel: HTMLElement,
  onError: (text: string) => void,
): { alreadyShown(text: string): void } {
  const line = panel.querySelector<HTMLElement>('[data-testid="message"]');
  const known = new Set<string>();
  let last = '';
  const observer = new MutationObserver(() => {
    const text = line?.textContent ?? '';
    const isError = line?.classList.contains('error') ?? false;
    if (!isError || !text) last = '';
    if (!isError || !text || text === last) return;
    last = text;
    if (!known.delete(text)) onError(text);
  });
  if (line) observer.observe(line, { attributes: true, childList: true, characterData: true, subtree: true });
  return { alreadyShown: (text) => void known.add(text) };
}
