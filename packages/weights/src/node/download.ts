/**
 * Downloads a file into `<dest>.part`, resuming with an HTTP Range request when a partial file is
 * there, trying mirrors in turn, and renames it to `dest` only once its MD5 matches.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { cancelledError } from '@impasto/errors';
import { badWeights, weightsUnreachable } from '../errors.js';
import { md5File } from './md5.js';

/** Bytes downloaded so far and the size expected, when known. */
export type DownloadProgress = (loaded: number, total: number | undefined) => void;

export interface DownloadOptions {
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onProgress?: DownloadProgress;
  /** Size to show progress against when a server sends no Content-Length. */
  readonly expectedBytes?: number;
  readonly log?: (line: string) => void;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

/** The response to continue `partPath` from (206) or to start it over (200), after at most one retry. */
async function requestFrom(url: string, partPath: string, options: DownloadOptions) {
  const fetcher = options.fetch ?? globalThis.fetch;
  const have = await sizeOf(partPath);
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
  let response = await fetcher(url, { headers, signal: options.signal, redirect: 'follow' });
  const resumes = have > 0 && response.status === 206;
  const range = response.headers.get('content-range') ?? '';
  if (response.status === 416 || (resumes && !range.startsWith(`bytes ${have}-`))) {
    // The partial file does not fit what the server offers: start over.
    await response.body?.cancel();
    options.log?.(`  ${url}: cannot resume (${response.status} ${range}); starting over`);
    await rm(partPath, { force: true });
    response = await fetcher(url, { signal: options.signal, redirect: 'follow' });
    return { response, offset: 0 };
  }
  if (have > 0 && response.status === 200) options.log?.(`  ${url}: server does not resume downloads; starting over`);
  if (have > 0 && resumes) options.log?.(`  resuming at ${have} bytes`);
  return { response, offset: resumes ? have : 0 };
}

/** An error's message with its cause (fetch reports "fetch failed" and puts the reason in `cause`). */
function describe(error: unknown): string {
  const { message, cause } = error as Error;
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
}

/** One attempt at one URL; on an interruption the partial file stays for the next attempt to resume. */
export async function downloadResumable(url: string, partPath: string, options: DownloadOptions = {}): Promise<void> {
  const { response, offset } = await requestFrom(url, partPath, options);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(length) ? offset + length : options.expectedBytes;
  const file = await open(partPath, offset > 0 ? 'a' : 'w');
  let written = offset;
  try {
    options.onProgress?.(written, total);
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await file.write(chunk);
        written += chunk.length;
        options.onProgress?.(written, total);
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw cancelledError(options.signal);
    throw new Error(
      `interrupted at ${written} bytes (${(error as Error).message}); the partial file is kept to resume`,
    );
  } finally {
    await file.close();
  }
  if (Number.isFinite(length) && written < offset + length) {
    throw new Error(`stopped at ${written} of ${offset + length} bytes; the partial file is kept to resume`);
  }
}

/**
 * Fetches `dest` from the first mirror that delivers a file with the expected MD5. A wrong MD5 deletes
 * the partial file; an interrupted transfer keeps it, so the next mirror (or the next run) resumes it.
 */
export async function downloadFromMirrors(
  mirrors: readonly string[],
  dest: string,
  md5: string,
  options: DownloadOptions = {},
): Promise<{ url: string }> {
  const partPath = `${dest}.part`;
  const failures: string[] = [];
  let checksumFailures = 0;
  for (const url of mirrors) {
    options.log?.(`downloading ${url}`);
    try {
      await downloadResumable(url, partPath, options);
    } catch (error) {
      if (options.signal?.aborted) throw cancelledError(options.signal);
      failures.push(`${url}: ${describe(error)}`);
      options.log?.(`  failed: ${describe(error)}`);
      continue;
    }
    const actual = await md5File(partPath);
    if (actual === md5) {
      await rename(partPath, dest);
      return { url };
    }
    await rm(partPath, { force: true });
    checksumFailures++;
    failures.push(`${url}: checksum mismatch (md5 ${actual}, expected ${md5}); the download was deleted`);
    options.log?.(`  ${failures.at(-1)}`);
  }
  const kept =
    (await sizeOf(partPath)) > 0 ? ` A partial download is kept in ${partPath}; running again resumes it.` : '';
  const message = `could not download a verified copy from any mirror:\n  - ${failures.join('\n  - ')}\n${kept}`;
  // Every mirror answered with the wrong file: a checksum failure; otherwise the network is the problem.
  const details = { url: mirrors[0], failures, partial: kept !== '' };
  throw checksumFailures === mirrors.length && mirrors.length > 0
    ? badWeights(message.trimEnd(), details)
    : weightsUnreachable(message.trimEnd(), details);
}
