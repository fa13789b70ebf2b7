import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium } from './chromium.js';
import { serveStatic } from './static-server.js';

const skip = chromiumSkipReason();
if (skip) console.warn(`skipping browser tests: ${skip}`);

describe.skipIf(!!skip)('Debian Chromium through playwright-core', () => {
  it.each(['webgl', 'webgpu'] as const)('serves a page and reports the %s adapter', async (mode) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-static-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>ok</title><p id="p">hello</p>');
    const server = await serveStatic({ '/': dir });
    const browser = await launchChromium(mode);
    try {
      const page = await browser.context.newPage();
      const response = await page.goto(server.url);
      expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
      expect(await page.textContent('#p')).toBe('hello');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const has = await page.evaluate(async (m) => {
        if (m === 'webgpu')
          return !!(await (
            navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }
          ).gpu?.requestAdapter());
        return !!document.createElement('canvas').getContext('webgl2');
      }, mode);
      expect(has).toBe(true);
      expect((await page.goto(`${server.url}/../../etc/passwd`))?.status()).toBe(404);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
