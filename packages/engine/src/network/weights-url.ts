/** Loads VGG19 weights over HTTP(S) with fetch, streaming each shard and reporting bytes as they arrive. */
import { assembleWeights } from './weights-assemble.js';
import { WEIGHTS_MANIFEST_FILE } from './weights-encode.js';
import { parseWeightsManifest } from './weights-manifest.js';
import type { Vgg19Weights, WeightsProgress } from './weights-types.js';

export interface UrlLoadOptions {
  readonly onProgress?: WeightsProgress;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  /** Shards downloaded at once; default 4. */
  readonly concurrency?: number;
}

/** `base` may name the manifest (`.../weights_manifest.json`, any `.json`) or the folder holding it. */
export function manifestUrlOf(base: string | URL): URL {
  const text = String(base);
  const pageUrl = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(text, pageUrl);
  } catch {
    throw new Error(`weights URL ${JSON.stringify(text)} is not a valid URL (outside a page it must be absolute)`);
  }
  if (url.pathname.endsWith('.json')) return url;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL(WEIGHTS_MANIFEST_FILE, url);
}

async function fetchOk(fetcher: typeof fetch, url: string, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetcher(url, { signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    throw new Error(`could not fetch weights from ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    throw new Error(`could not fetch weights from ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  return response;
}

/** The whole body, reporting each chunk's size as it arrives. */
async function readBody(response: Response, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onChunk(bytes.length);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    onChunk(value.length);
  }
  const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Fetches the manifest and its shards from `baseUrl`, checks them and decodes the weights. */
export async function loadWeightsFromUrl(baseUrl: string | URL, options: UrlLoadOptions = {}): Promise<Vgg19Weights> {
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const manifestUrl = manifestUrlOf(baseUrl);
  const manifestText = await (await fetchOk(fetcher, manifestUrl.href, signal)).text();
  const plan = parseWeightsManifest(manifestText, `weights manifest ${manifestUrl.href}`);

  let loaded = 0;
  const report = (bytes: number) => {
    loaded += bytes;
    options.onProgress?.(Math.min(loaded, plan.totalBytes), plan.totalBytes);
  };
  options.onProgress?.(0, plan.totalBytes);

  const paths = plan.groups.flatMap((g) => g.paths);
  const shards = new Map<string, Uint8Array>();
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++] as string;
      const url = new URL(path, manifestUrl).href;
      shards.set(path, await readBody(await fetchOk(fetcher, url, signal), report));
    }
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 4, paths.length) }, worker);
  try {
    await Promise.all(workers);
  } catch (error) {
    stop.abort(); // the first failure stops the other downloads
    throw error;
  }
  return assembleWeights(plan, shards, { describePath: (path) => new URL(path, manifestUrl).href });
}
