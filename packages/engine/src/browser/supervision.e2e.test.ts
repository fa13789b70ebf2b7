// The engine worker supervised, in Debian Chromium on ONNX Runtime's WebAssembly, the browsers' CPU path (synthetic weights, shallow layers): a failure
// forced inside a kernel (the wasm heap refused growth) and a worker that goes silent each end the run with the
// engine's typed error, at once and after the watchdog's allowance; the next run, on a fresh worker, works.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumSkipReason, launchChromium, type StaticServer, serveStatic } from '@impasto/browser-testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineWasmFiles } from '../../build/engine-worker-bundle.js';
import type { RunOutcome } from '../../e2e/supervision-page.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const skip = chromiumSkipReason();
if (skip) console.warn(`skipping the engine supervision test: ${skip}`);

describe.skipIf(!!skip)('a supervised engine worker in Chromium (ort-wasm)', () => {
  let server: StaticServer;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-supervision-'));
    const bundle = (entry: string, outfile: string, format: 'esm' | 'iife') =>
      build({
        entryPoints: [path.join(here, '../../e2e', entry)],
        bundle: true,
        format,
        platform: 'browser',
        outfile: path.join(dir, outfile),
        logLevel: 'error',
      });
    await bundle('supervision-page.ts', 'page.js', 'esm');
    await bundle('faulty-engine-worker.ts', 'faulty-worker.js', 'iife');
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="page.js"></script>');
    server = await serveStatic({ '/wasm/': path.dirname(engineWasmFiles().wasm), '/': dir });
  });
  afterAll(() => server?.close());

  async function failThenRun(fault: string, first: { size: number; tileSize: number }): Promise<RunOutcome[]> {
    const browser = await launchChromium('webgl');
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => typeof window.failThenRun === 'function');
      return await page.evaluate((o) => window.failThenRun(o), { fault, first });
    } finally {
      await browser.close();
    }
  }

  it('a heap that cannot grow fails the run inside a kernel as out-of-memory, not by the watchdog; the next run works', async () => {
    // A 256 px pass grows the runtime's heap well past 64 MiB (it fits under 192 MiB); the heap may not pass 64 MiB.
    const [failed, next] = await failThenRun(`heapLimit=${64 * 1024 ** 2}`, { size: 256, tileSize: 4096 });
    console.log(
      `forced heap limit: out-of-memory after ${Math.round(failed?.ms ?? 0)} ms (${JSON.stringify(failed?.details)}); the next run took ${Math.round(next?.ms ?? 0)} ms`,
    );
    expect(failed).toMatchObject({
      code: 'out-of-memory',
      // fault: reported from inside the runtime (its heap refused to grow), not an error the kernel raised
      details: { backend: 'ort-wasm', fatal: true, fault: 'memory', size: 256, restarted: true },
    });
    expect(next).toMatchObject({ width: 48 });
  });

  it('a worker that goes silent mid-run fails it as stalled after its own tile times allow, and is replaced', async () => {
    // 96 px in tiles of 48: several target tiles, the fifth never ends.
    const [stalled, next] = await failThenRun('silentAfterTiles=5', { size: 96, tileSize: 48 });
    console.log(
      `silent worker: stalled after ${Math.round(stalled?.ms ?? 0)} ms; the next run took ${Math.round(next?.ms ?? 0)} ms`,
    );
    expect(stalled).toMatchObject({ code: 'stalled', details: { backend: 'ort-wasm', size: 96, restarted: true } });
    expect(stalled?.details?.expectedMs).toBeGreaterThan(0); // its allowance came from the tiles it had timed
    expect(next).toMatchObject({ width: 48 });
  });
});
