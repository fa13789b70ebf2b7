import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumSkipReason, launchChromium, type StaticServer, serveStatic } from '@impasto/browser-testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../e2e/tiling-page.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const skip = chromiumSkipReason();
if (skip) console.warn(`skipping the tiled loss browser test: ${skip}`);

describe.skipIf(!!skip)(
  'the tiled loss in Debian Chromium (SwiftShader), synthetic weights, 29x23 in tiles of 17',
  () => {
    let server: StaticServer;
    beforeAll(async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'impasto-tiling-'));
      await build({
        entryPoints: [path.join(here, '../../e2e/tiling-page.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        outfile: path.join(dir, 'tiling.js'),
        logLevel: 'error',
      });
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="tiling.js"></script>');
      server = await serveStatic({ '/': dir });
    });
    afterAll(() => server?.close());

    // GPU sums run in float32 in shaders, in another order for each tile: within 1e-5 as on the CPU paths.
    it.each(['webgl', 'webgpu'] as const)(
      'equals the untiled loss and gradient on %s',
      async (backend) => {
        const browser = await launchChromium(backend);
        try {
          const page = await browser.context.newPage();
          await page.goto(server.url);
          await page.waitForFunction(() => typeof window.compareTiled === 'function');
          const r = (await page.evaluate((b) => window.compareTiled(b), backend)) as Record<string, number | string>;
          expect(r).toMatchObject({ backend, tiles: 9, leaked: 0 });
          expect(r.worstTerm).toBeLessThan(1e-5);
          expect(r.gradient).toBeLessThan(1e-4);
        } finally {
          await browser.close();
        }
      },
      400_000,
    ); // WebGPU on SwiftShader builds a pipeline per tile shape: minutes on a busy 2-core machine
  },
);
