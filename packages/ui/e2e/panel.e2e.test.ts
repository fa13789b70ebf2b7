import path from 'node:path';
import { chromiumSkipReason, launchChromium, recordStatuses, type StaticServer } from '@impasto/browser-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from './panel-page.js';
import { startPanelSite } from './panel-site.js';

const weightsDir = process.env.IMPASTO_TEST_WEIGHTS;
const skip = chromiumSkipReason() ?? (weightsDir ? undefined : 'IMPASTO_TEST_WEIGHTS is not set');
if (skip) console.warn(`skipping the panel's browser tests: ${skip}`);

describe.skipIf(!!skip)('the stylize panel in Chromium (WebGL on SwiftShader)', () => {
  let server: StaticServer;
  let dir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    ({ server, dir } = await startPanelSite(weightsDir as string));
    browser = await launchChromium('webgl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs a short stylization with live progress and hands the PNG to the result action', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/?iterations=3&size=32`);
    await page.getByTestId('backend').getByText('Running on WebGL').waitFor();
    await page.getByTestId('content-upload').setInputFiles(path.join(dir, 'content.png'));
    await page.getByTestId('example-swirls').click();
    await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
    const statuses: string[] = [];
    await page.exposeFunction('recordStatus', (s: string) => statuses.push(s));
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=status]') as HTMLElement;
      new MutationObserver(() =>
        (window as unknown as { recordStatus(s: string): void }).recordStatus(el.textContent ?? ''),
      ).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByTestId('start').click();
    await page.getByTestId('action-Keep').click({ timeout: 60_000 });
    const result = await page.evaluate(() => {
      const r = window.results[0];
      return r && { width: r.width, height: r.height, signature: Array.from(r.png.subarray(0, 4)) };
    });
    expect(result).toEqual({ width: 32, height: 24, signature: [0x89, 0x50, 0x4e, 0x47] });
    expect(statuses.some((s) => s.startsWith('Iteration 1/3'))).toBe(true);
    expect(statuses.at(-1)).toMatch(/^Done: 3 iterations/);
    await page.close();
  });

  it('Cancel stops a long run at once and the panel stays usable', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/?iterations=2000&size=32`);
    await page.getByTestId('content-upload').setInputFiles(path.join(dir, 'content.png'));
    await page.getByTestId('example-swirls').click();
    await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
    await page.getByTestId('start').click();
    // Any iteration after the first (a fast step can replace "Iteration 2" before a frame shows it).
    await page
      .getByTestId('status')
      .getByText(/Iteration ([2-9]|\d{2,})\//)
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('cancel').click();
    await page.getByTestId('message').getByText('Cancelled.').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('start').isEnabled()).toBe(true);
    await page.close();
  });

  it("shows the progress of a host's own weights loader", async () => {
    const page = await browser.context.newPage();
    const statuses = await recordStatuses(page);
    await page.goto(`${server.url}/?loader`);
    await page.getByTestId('backend').getByText('Running on WebGL').waitFor({ timeout: 30_000 });
    expect(statuses).toContain('Loading weights: 0%');
    expect(statuses).toContain('Loading weights: 100%');
    await page.close();
  });

  it('a file that is not an image gives a readable message', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByTestId('content-upload').setInputFiles(path.join(dir, 'notes.txt'));
    await expect
      .poll(() => page.getByTestId('message').textContent())
      .toBe('notes.txt is not an image this browser can read (PNG, JPEG, WebP and GIF are).');
    await page.close();
  });
});
