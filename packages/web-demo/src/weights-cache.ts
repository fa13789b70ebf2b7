/**
 * Keeps the site's weights in the browser's Cache API, so a second visit reads them from disk instead of the
 * network. The manifest is always asked for again (cheap: a few kB, revalidated by HTTP); when its text
 * changed, every cached shard is dropped, so new weights on the site are never mixed with old ones.
 */

/** The name of the cache that holds the weights whose manifest is at `manifestUrl`. */
export const weightsCacheName = (manifestUrl: string) => `impasto-weights ${manifestUrl}`;

export interface CachingFetch {
  readonly fetch: typeof fetch;
  /** Responses served from the cache so far. */
  hits(): number;
}

const urlOf = (input: RequestInfo | URL) =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

export function cachingFetch(cache: Cache, manifestUrl: string, network: typeof fetch): CachingFetch {
  let hits = 0;

  const fromCache = async (url: string) => {
    const hit = await cache.match(url);
    if (hit) hits++;
    return hit;
  };

  const manifest = async (url: string, init?: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await network(url, { ...init, cache: 'no-cache' });
    } catch (error) {
      // Offline: the cached manifest (and so the cached shards) still work.
      const cached = init?.signal?.aborted ? undefined : await fromCache(url);
      if (cached) return cached;
      throw error;
    }
    if (!response.ok) {
      // A server error is no reason to stop working from the cache; a 404 means the weights were taken away.
      const cached = response.status === 404 ? undefined : await fromCache(url);
      return cached ?? response;
    }
    const text = await response.text();
    const cached = await cache.match(url);
    if (!cached || (await cached.text()) !== text) {
      for (const key of await cache.keys()) await cache.delete(key);
      await cache.put(url, new Response(text, { headers: { 'Content-Type': 'application/json' } }));
    }
    return new Response(text, { status: 200, headers: { 'Content-Type': 'application/json' } });
  };

  const shard = async (url: string, init?: RequestInit): Promise<Response> => {
    const cached = await fromCache(url);
    if (cached) return cached;
    const response = await network(url, init);
    // Written in the background from a copy of the stream, so the download's progress is not held up.
    if (response.ok) void cache.put(url, response.clone()).catch(() => undefined);
    return response;
  };

  return {
    fetch: (input, init) => {
      const url = urlOf(input);
      return url === manifestUrl ? manifest(url, init) : shard(url, init);
    },
    hits: () => hits,
  };
}
