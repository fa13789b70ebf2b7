import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumSkipReason, launchChromium, type StaticServer, serveStatic } from '@impasto/browser-testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineWasmFiles } from '../../build/engine-worker-bundle.js';
import type { MemoryRow } from '../../e2e/memory-page.js';
import type {} from '../../e2e/smoke-page.js';
import { TEST_WEIGHTS_DIR } from '../testing/test-data.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const skip = chromiumSkipReason() ?? (TEST_WEIGHTS_DIR ? undefined : 'IMPASTO_TEST_WEIGHTS is not set');
if (skip) console.warn(`skipping the engine's browser smoke test: ${skip}`);

describe.skipIf(!!skip)('the engine bundled for browsers, in Debian Chromium', () => {
  let server: StaticServer;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-smoke-'));
    await build({
      entryPoints: {
        smoke: path.join(here, '../../e2e/smoke-page.ts'),
        memory: path.join(here, '../../e2e/memory-page.ts'),
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outdir: dir,
      logLevel: 'error',
    });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="smoke.js"></script>');
    writeFileSync(path.join(dir, 'memory.html'), '<!doctype html><script type="module" src="memory.js"></script>');
    const wasmDir = path.dirname(engineWasmFiles().wasm);
    server = await serveStatic({ '/weights/': TEST_WEIGHTS_DIR as string, '/wasm/': wasmDir, '/': dir });
  });
  afterAll(() => server?.close());

  it.each(['webgpu', 'webgl', 'ort-wasm'] as const)('stylizes on %s', async (backend) => {
    const browser = await launchChromium(backend === 'webgpu' ? 'webgpu' : 'webgl');
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => typeof window.runSmoke === 'function');
      const summary = await page.evaluate((o) => window.runSmoke(o), {
        backend,
        weightsUrl: `${server.url}/weights/`,
        wasmUrl: `${server.url}/wasm/`,
      });
      expect(summary).toEqual({
        backend,
        weightsProgress: 1,
        iterations: [1, 2, 3],
        width: 24,
        height: 16,
        pngSignature: [0x89, 0x50, 0x4e, 0x47],
        finite: true,
      });
    } finally {
      await browser.close();
    }
  });

  // Issue 16 item 9: the browser's gigabytes at 512 px are the activations' textures, not a leak. Per iteration the
  // live tensors and GPU bytes stay flat, a second run allocates no new textures (tfjs reuses the ones it keeps),
  // and disposing the engine frees every tensor.
  it('WebGL: no tensor or texture leak over iterations and runs', async () => {
    const browser = await launchChromium('webgl');
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/memory.html`);
      await page.waitForFunction(() => typeof window.runMemory === 'function');
      const rows: MemoryRow[] = await page.evaluate((o) => window.runMemory(o), {
        weightsUrl: `${server.url}/weights/`,
        size: 32,
        iterations: 4,
      });
      const at = (label: string) => rows.find((r) => r.label === label) as MemoryRow;
      const during = rows.filter((r) => r.label.includes('iteration'));
      console.log(
        `WebGL at 32 px: ${at('ready').tensors} tensors ready, ${during[0]?.tensors} during runs; textures held ${(at('after run 2').allocatedBytes / 1e6).toFixed(1)} MB (live ${(at('after run 2').gpuBytes / 1e6).toFixed(1)} MB)`,
      );
      expect(new Set(during.map((r) => r.tensors)).size).toBe(1);
      expect(new Set(during.map((r) => r.gpuBytes)).size).toBe(1);
      expect(at('after run 1').tensors).toBe(at('ready').tensors);
      expect(at('after run 2')).toEqual({ ...at('after run 1'), label: 'after run 2' });
      expect(at('disposed').tensors).toBe(0);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
