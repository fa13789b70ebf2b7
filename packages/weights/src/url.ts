/**
 * Loads VGG19 weights over HTTP(S) with fetch: the manifest, then its shards (a few at a time), streaming each and
 * reporting bytes as they arrive. A shard cut off mid-transfer is resumed with a Range request where the server
 * allows it. Failures are ImpastoErrors: `weights-unreachable` (network, CORS, HTTP status) tells which it was.
 */
import { cancelledError } from '@impasto/errors';
import { assembleWeights } from './assemble.js';
import { badWeights, weightsUnreachable } from './errors.js';
import { parseWeightsManifest, WEIGHTS_MANIFEST_FILE } from './manifest.js';
import type { Vgg19Weights, WeightsProgress } from './types.js';

export interface UrlLoadOptions {
  readonly onProgress?: WeightsProgress;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  /** Shards downloaded at once; default 4. */
  readonly concurrency?: number;
}

/** How many times a shard cut off mid-transfer is resumed before the load fails. */
const RESUME_ATTEMPTS = 3;

/** `base` may name the manifest (`.../weights_manifest.json`, any `.json`) or the folder holding it. */
export function manifestUrlOf(base: string | URL): URL {
  const text = String(base);
  const pageUrl = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(text, pageUrl);
  } catch {
    throw badWeights(`weights URL ${JSON.stringify(text)} is not a valid URL (outside a page it must be absolute)`, {
      url: text,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badWeights(`weights URL ${url.href} must use http or https`, { url: url.href });
  }
  if (url.pathname.endsWith('.json')) return url;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL(WEIGHTS_MANIFEST_FILE, url);
}

async function fetchOk(fetcher: typeof fetch, url: string, signal: AbortSignal, init: RequestInit = {}) {
  let response: Response;
  try {
    response = await fetcher(url, { ...init, signal });
  } catch (error) {
    if (signal.aborted) throw cancelledError(signal);
    // Browsers report a CORS refusal exactly like a network failure, so the message names both.
    throw weightsUnreachable(
      `could not fetch weights from ${url}: ${(error as Error).message} (the server is unreachable, or it does not allow this page's origin: CORS)`,
      { url, reason: 'network' },
      error,
    );
  }
  if (!response.ok) {
    const status = `HTTP ${response.status} ${response.statusText}`.trim();
    const hint = response.status === 404 ? ' (nothing there: check the URL)' : '';
    throw weightsUnreachable(`could not fetch weights from ${url}: ${status}${hint}`, {
      url,
      status: response.status,
      reason: 'http',
    });
  }
  return response;
}

/** Appends the body's chunks to `chunks`, reporting each. */
async function readInto(response: Response, chunks: Uint8Array[], onChunk: (bytes: number) => void): Promise<void> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    chunks.push(bytes);
    onChunk(bytes.length);
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    chunks.push(value);
    onChunk(value.length);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * One shard's bytes. An interrupted body is resumed from where it stopped (`Range: bytes=N-`) when the server
 * answers 206 for exactly that offset; a 200 starts the shard over (its bytes so far are taken back from progress).
 */
async function fetchShard(
  fetcher: typeof fetch,
  url: string,
  signal: AbortSignal,
  report: (bytes: number) => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const onChunk = (bytes: number) => {
    received += bytes;
    report(bytes);
  };
  for (let attempt = 0; ; attempt++) {
    const init = received > 0 ? { headers: { range: `bytes=${received}-` } } : {};
    const response = await fetchOk(fetcher, url, signal, init);
    const resumes = received > 0 && response.status === 206;
    if (received > 0 && !(resumes && (response.headers.get('content-range') ?? '').startsWith(`bytes ${received}-`))) {
      report(-received); // the server sent the whole file again
      chunks.length = 0;
      received = 0;
    }
    try {
      await readInto(response, chunks, onChunk);
      return concat(chunks);
    } catch (error) {
      if (signal.aborted) throw cancelledError(signal);
      if (attempt >= RESUME_ATTEMPTS) {
        throw weightsUnreachable(
          `the download of ${url} was cut off ${attempt + 1} times (at ${received} bytes): ${(error as Error).message}`,
          { url, reason: 'network' },
          error,
        );
      }
    }
  }
}

/** Fetches the manifest and its shards from `baseUrl`, checks them and decodes the weights. */
export async function loadWeightsFromUrl(baseUrl: string | URL, options: UrlLoadOptions = {}): Promise<Vgg19Weights> {
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  if (signal.aborted) throw cancelledError(signal);
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
      shards.set(path, await fetchShard(fetcher, new URL(path, manifestUrl).href, signal, report));
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
