/** Test helpers: a tiny, hand-made weights set (VGG19's conv1_1 only) and in-memory stand-ins for browser APIs. */

/** conv1_1 holds 3·3·3·64 kernel values then 64 biases; value i of the shard is i / 1000. */
export const TINY_VALUES = 3 * 3 * 3 * 64 + 64;

export function tinyWeights(shardPath = 'conv1_1.bin') {
  const manifest = {
    weightsManifest: [
      {
        paths: [shardPath],
        weights: [
          { name: 'block1_conv1/kernel', shape: [3, 3, 3, 64], dtype: 'float32' },
          { name: 'block1_conv1/bias', shape: [64], dtype: 'float32' },
        ],
      },
    ],
  };
  const values = Float32Array.from({ length: TINY_VALUES }, (_, i) => i / 1000);
  return { manifestText: JSON.stringify(manifest), shard: new Uint8Array(values.buffer), shardPath };
}

const keyOf = (request: RequestInfo | URL) => (request instanceof Request ? request.url : String(request));

/** A Cache API stand-in keeping whole bodies in memory (as the real one does, it reads the body on put). */
export class MemoryCache {
  readonly entries = new Map<string, { body: Uint8Array; headers: [string, string][] }>();
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    const entry = this.entries.get(keyOf(request));
    return entry && new Response(entry.body.slice(), { headers: entry.headers });
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: [string, string][] = [];
    response.headers.forEach((value, key) => void headers.push([key, value]));
    this.entries.set(keyOf(request), { body, headers });
  }
  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(keyOf(request));
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

export class MemoryCacheStorage {
  readonly caches = new Map<string, MemoryCache>();
  async open(name: string): Promise<MemoryCache> {
    const cache = this.caches.get(name) ?? new MemoryCache();
    this.caches.set(name, cache);
    return cache;
  }
  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }
}

/** A fetch serving `files` (URL → bytes or text), logging every URL asked for; `offline` makes it fail. */
export function fakeNetwork(files: Map<string, Uint8Array | string>) {
  const log: string[] = [];
  const state = { offline: false };
  const fetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    log.push(url);
    if (state.offline) throw new TypeError('Failed to fetch');
    const body = files.get(url);
    if (body === undefined) return new Response('not found', { status: 404, statusText: 'Not Found' });
    return new Response(typeof body === 'string' ? body : body.slice());
  }) as typeof globalThis.fetch;
  return { fetch, log, state };
}
