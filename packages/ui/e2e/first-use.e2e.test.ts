// Issue 16, the panel as a new user meets it, in Debian Chromium (no GPU: WebGL and WebGPU on SwiftShader): files
// checked when chosen, a page that keeps working after bad photos, auto passing over software graphics, a status
// from the first moment on every backend, and no stale result.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromiumSkipReason, launchChromium, msUntilStatus, recordStatuses } from '@impasto/browser-testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from './panel-page.js';
import { type PanelSite, startPanelSite } from './panel-site.js';

const weightsDir = process.env.IMPASTO_TEST_WEIGHTS;
const skip = chromiumSkipReason() ?? (weightsDir ? undefined : 'IMPASTO_TEST_WEIGHTS is not set');
if (skip) console.warn(`skipping the panel's first-use browser tests: ${skip}`);

type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** A PNG signature and IHDR claiming 20000x20000, then nothing: only a header-first check refuses it at once. */
function hugePngHeader(): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(20000, 16);
  b.writeUInt32BE(20000, 20);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

describe.skipIf(!!skip)('the panel as a new user meets it (Chromium, no GPU)', () => {
  let site: PanelSite;
  let browser: Browser;
  const file = (name: string) => path.join(site.dir, name);
  beforeAll(async () => {
    site = await startPanelSite(weightsDir as string);
    const blank = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: '#777' } }).png();
    await blank(1, 1).toFile(file('dot.png'));
    await blank(4000, 3).toFile(file('strip.png'));
    writeFileSync(file('huge.png'), hugePngHeader());
    browser = await launchChromium('webgl');
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
  });

  it('on ort-wasm, a 1x1 and a 4000x3 photo are refused in words when chosen, and a good photo then runs', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.server.url}/?backend=ort-wasm&iterations=1&size=32`);
    await page.getByTestId('backend').getByText('Running on WebAssembly').waitFor({ timeout: 60_000 });
    const message = page.getByTestId('message');
    const upload = page.getByTestId('content-upload');
    await upload.setInputFiles(file('dot.png'));
    await expect
      .poll(() => message.textContent())
      .toBe(
        'dot.png (1x1) is too small or too narrow: the run would use it at 1x1 px, and the style layers need at least 4 px a side. Choose a larger or less narrow image, or a larger size.',
      );
    await upload.setInputFiles(file('strip.png'));
    await expect
      .poll(() => message.textContent())
      .toMatch(/^strip\.png \(4000x3\) is too small or too narrow: .* 32x1 px/);
    await upload.setInputFiles(file('content.png'));
    await expect.poll(() => message.textContent()).toBe('');
    await page.getByTestId('example-swirls').click();
    await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
    await page.getByTestId('start').click();
    await page.getByTestId('action-Keep').click({ timeout: 120_000 });
    expect(await page.evaluate(() => window.results.length)).toBe(1);

    // A rejected file clears the previous result: no Keep/Download of a picture that no longer matches.
    await upload.setInputFiles(file('notes.txt'));
    await expect
      .poll(() => message.textContent())
      .toBe('notes.txt is not an image this browser can read (PNG, JPEG, WebP and GIF are).');
    expect(await page.getByTestId('result-actions').textContent()).toBe('');
    expect(await page.getByTestId('status').textContent()).toBe('');
    await page.close();
  }, 180_000);

  it('a bad style is refused when it is added, a huge one from its header', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.server.url}/?backend=ort-wasm`);
    const message = page.getByTestId('message');
    const styles = page.getByTestId('style-upload');
    await styles.setInputFiles(file('notes.txt'));
    await expect
      .poll(() => message.textContent())
      .toBe('notes.txt is not an image this browser can read (PNG, JPEG, WebP and GIF are).');
    await styles.setInputFiles(file('huge.png'));
    await expect
      .poll(() => message.textContent())
      .toBe('huge.png is too large (20000x20000): the limit is 16384 px a side and 50 megapixels.');
    expect(await page.getByTestId('chosen-styles').locator('.ip-style-row').count()).toBe(0);
    await page.close();
  });

  it('auto passes over software WebGL/WebGPU for WebAssembly, and says why', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.server.url}/?backend=auto`);
    const line = page.getByTestId('backend');
    await line.getByText('Running on WebAssembly').waitFor({ timeout: 60_000 });
    expect(await line.textContent()).toMatch(
      /^Running on WebAssembly \(ONNX Runtime\), 2 threads, one per core \(the page is cross-origin isolated\) — this computer's graphics are emulated in software \(.*SwiftShader.*\), where WebAssembly is faster/i,
    );
    await page.close();
  });

  it.each([
    ['ort-wasm', 'webgl'],
    ['webgl', 'webgl'],
    ['webgpu', 'webgpu'],
  ] as const)(
    'on %s the status says what happens within 1 s of Stylize, before iteration 1',
    async (backend, mode) => {
      const own = mode === 'webgpu' ? await launchChromium('webgpu') : browser;
      try {
        const page = await own.context.newPage();
        const statuses = await recordStatuses(page);
        await page.goto(`${site.server.url}/?backend=${backend}&iterations=1&size=32`);
        await page.getByTestId('content-upload').setInputFiles(file('content.png'));
        await page.getByTestId('example-swirls').click();
        await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
        const before = statuses.length;
        const ms = await msUntilStatus(page);
        const first = statuses.slice(before).find(Boolean);
        console.log(`${backend}: first status ${Math.round(ms)} ms after Stylize: "${first}"`);
        expect(ms).toBeLessThan(1000);
        if (backend === 'ort-wasm') {
          await page.getByTestId('action-Keep').waitFor({ timeout: 120_000 });
          const seen = statuses.filter(Boolean).map((s) => s.replace(/ · .*/, ''));
          const order = ['Computing the style targets…', 'Running the first iteration…', 'Iteration 1/1'];
          expect(order.map((s) => seen.indexOf(s))).toEqual(
            [...order.map((s) => seen.indexOf(s))].sort((a, b) => a - b),
          );
          expect(order.every((s) => seen.includes(s))).toBe(true);
        } else {
          await page.getByTestId('cancel').click();
          await page.getByTestId('message').getByText('Cancelled.').waitFor({ timeout: 120_000 });
        }
        await page.close();
      } finally {
        if (own !== browser) await own.close();
      }
    },
    180_000,
  );
});
