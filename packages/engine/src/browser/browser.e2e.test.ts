import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumSkipReason, launchChromium, type StaticServer, serveStatic } from '@impasto/browser-testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../e2e/smoke-page.js';
import { TEST_WEIGHTS_DIR } from '../test-data.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const skip = chromiumSkipReason() ?? (TEST_WEIGHTS_DIR ? undefined : 'IMPASTO_TEST_WEIGHTS is not set');
if (skip) console.warn(`skipping the engine's browser smoke test: ${skip}`);

describe.skipIf(!!skip)('the engine bundled for browsers, in Debian Chromium', () => {
  let server: StaticServer;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-smoke-'));
    await build({
      entryPoints: [path.join(here, '../../e2e/smoke-page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: path.join(dir, 'smoke.js'),
      logLevel: 'error',
    });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="smoke.js"></script>');
    const wasmDir = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
      'dist',
    );
    server = await serveStatic({ '/weights/': TEST_WEIGHTS_DIR as string, '/wasm/': wasmDir, '/': dir });
  });
  afterAll(() => server?.close());

  it.each(['webgpu', 'webgl', 'wasm'] as const)('stylizes on %s', async (backend) => {
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
});
