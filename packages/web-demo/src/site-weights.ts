/** Loads the weights the site serves at its own weights/ folder, through the browser's cache when it has one. */
import { loadWeightsFromUrl, type Vgg19Weights, type WeightsProgress } from '@impasto/engine/browser';
import { ImpastoError } from '@impasto/errors';
import type { WeightsLoader } from '@impasto/ui';
import { WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import { cachingFetch, weightsCacheName } from './weights-cache.js';

export interface SiteWeightsEnvironment {
  /** The Cache API; absent outside secure contexts (plain http on a non-local address). */
  readonly caches?: CacheStorage;
  readonly fetch: typeof fetch;
}

/** `folderUrl`: absolute URL of the weights folder, ending in '/'. */
export function siteWeightsLoader(
  folderUrl: string,
  env: SiteWeightsEnvironment = { caches: globalThis.caches, fetch: globalThis.fetch.bind(globalThis) },
): WeightsLoader {
  const manifestUrl = new URL(WEIGHTS_MANIFEST_FILE, folderUrl).href;
  return async (onProgress: WeightsProgress): Promise<Vgg19Weights> => {
    let manifestStatus: number | undefined;
    const network: typeof fetch = async (input, init) => {
      const response = await env.fetch(input, init);
      if (String(input) === manifestUrl) manifestStatus = response.status;
      return response;
    };
    const load = (fetcher: typeof fetch) => loadWeightsFromUrl(manifestUrl, { fetch: fetcher, onProgress });
    try {
      const cache = await env.caches?.open(weightsCacheName(manifestUrl)).catch(() => undefined);
      if (!cache) return await load(network);
      const cached = cachingFetch(cache, manifestUrl, network);
      try {
        return await load(cached.fetch);
      } catch (error) {
        if (cached.hits() === 0) throw error;
        // Something read from the cache was unusable (a browser evicting half of it, an old format): start afresh.
        await env.caches?.delete(weightsCacheName(manifestUrl));
        return await load(network);
      }
    } catch (error) {
      if (manifestStatus === 404) {
        // The site has no weights_manifest.json: whoever runs it has not copied the weights in yet.
        const message = `this site has no weights yet (${manifestUrl} was not found)`;
        throw new ImpastoError('weights-missing', message, { location: manifestUrl });
      }
      throw error;
    }
  };
}
