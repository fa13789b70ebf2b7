// The panel stays responsive during a run because the engine runs in a Web Worker: no main-thread task over 200 ms
// (PerformanceObserver 'longtask'), and Cancel takes effect within one step; where the worker cannot start, the
// engine runs on the main thread and the panel says so. On a phone the picture stays in view during a run, and every
// control is large enough to hit (WCAG 2.2 target size).
import path from 'node:path';
import { chromiumSkipReason, launchChromium, recordStatuses, smallTargets } from '@impasto/browser-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PanelSite, startPanelSite } from './panel-site.js';

const weightsDir = process.env.IMPASTO_TEST_WEIGHTS;
const skip = chromiumSkipReason() ?? (weightsDir ? undefined : 'IMPASTO_TEST_WEIGHTS is not set');
if (skip) console.warn(`skipping the panel's responsiveness tests: ${skip}`);

/** Starts collecting long main-thread tasks (ms) into window.longTasks, from the page's first script on. */
const OBSERVE_LONG_TASKS = () => {
  const w = window as unknown as { longTasks: { start: number; duration: number }[] };
  w.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

const iterationOf = (status: string) => Number(/^Iteration (\d+)\//.exec(status)?.[1] ?? 0);

describe.skipIf(!!skip)('the panel during a run, engine in a worker (Chromium, SwiftShader)', () => {
  let site: PanelSite;
  beforeAll(async () => {
    site = await startPanelSite(weightsDir as string);
  });
  afterAll(() => site?.server.close());

  it.each([
    ['webgl', 'WebGL'],
    ['ort-wasm', 'WebAssembly (ONNX Runtime)'],
  ] as const)('on %s: no main-thread task over 200 ms, and Cancel stops within one step', async (backend, label) => {
    const browser = await launchChromium('webgl');
    try {
      const page = await browser.context.newPage();
      const statuses = await recordStatuses(page);
      await page.addInitScript(OBSERVE_LONG_TASKS);
      await page.goto(`${site.server.url}/?backend=${backend}&iterations=2000&size=32`);
      await page.getByTestId('backend').getByText(`Running on ${label}`).waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('backend').textContent()).not.toMatch(/main thread/);
      await page.getByTestId('content-upload').setInputFiles(path.join(site.dir, 'content.png'));
      await page.getByTestId('example-swirls').click();
      await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
      const runStart = await page.evaluate(() => performance.now());
      await page.getByTestId('start').click();
      // Progress can outrun any polling of the page (wasm does ~20 steps a second here): wait on the recorded
      // statuses, and note in the page which iteration was on screen when Cancel was clicked.
      await expect
        .poll(() => Math.max(0, ...statuses.map(iterationOf)), { timeout: 100_000 })
        .toBeGreaterThanOrEqual(3);
      const atCancel = iterationOf(
        await page.evaluate(() => {
          const shown = document.querySelector('[data-testid=status]')?.textContent ?? '';
          (document.querySelector('[data-testid=cancel]') as HTMLButtonElement).click();
          return shown;
        }),
      );
      await page.getByTestId('message').getByText('Cancelled.').waitFor({ timeout: 60_000 });
      const longTasks = await page.evaluate(
        (t0) =>
          (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
            (e) => e.start >= t0,
          ),
        runStart,
      );
      console.log(
        `${backend}: ${longTasks.length} main-thread tasks over 50 ms during the run, longest ${Math.round(Math.max(0, ...longTasks.map((e) => e.duration)))} ms; Cancel at iteration ${atCancel}, last shown ${Math.max(...statuses.map(iterationOf))}`,
      );
      expect(longTasks.filter((e) => e.duration > 200)).toEqual([]);
      expect(Math.max(...statuses.map(iterationOf))).toBeLessThanOrEqual(atCancel + 1);
      expect(await page.getByTestId('start').isEnabled()).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('on a 390 px phone: the picture stays in view during a run, and every control is at least 24×24 px', async () => {
    const browser = await launchChromium('webgl');
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 390, height: 640 });
      await page.goto(`${site.server.url}/?backend=wasm&iterations=2000&size=32`);
      await page.getByTestId('backend').getByText('Running on WebAssembly').waitFor({ timeout: 60_000 });
      await page.getByTestId('content-upload').setInputFiles(path.join(site.dir, 'content.png'));
      await page.getByTestId('example-swirls').click();
      await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
      await page.locator('summary', { hasText: 'Advanced' }).click(); // its controls count too
      expect(await smallTargets(page)).toEqual([]);

      const inView = (testId: string) =>
        page.getByTestId(testId).evaluate((el) => {
          const r = el.getBoundingClientRect();
          return { top: Math.round(r.top), bottom: Math.round(r.bottom), shown: r.top >= 0 && r.bottom <= innerHeight };
        });
      // A person scrolls down to Stylize: the picture is above the screen.
      await page.getByTestId('start').scrollIntoViewIfNeeded();
      expect((await inView('preview')).shown).toBe(false);
      await page.getByTestId('start').click();
      await page
        .getByTestId('status')
        .getByText(/^Iteration \d+\//)
        .waitFor({ timeout: 100_000 });
      // During the run the picture sticks to the top of the screen, with Cancel and the status still in view.
      const preview = await inView('preview');
      console.log(`at 390x640 during a run: the picture at ${preview.top}–${preview.bottom} px`);
      expect(preview.shown).toBe(true);
      expect((await inView('cancel')).shown).toBe(true);
      expect((await inView('status')).shown).toBe(true);
      await page.getByTestId('cancel').click();
      // "Cancelled." or, once a preview was shown, "Cancelled: the picture so far can be kept."
      await page
        .getByTestId('message')
        .getByText(/^Cancelled/)
        .waitFor({ timeout: 60_000 });
    } finally {
      await browser.close();
    }
  });

  it('falls back to the main thread where the worker cannot start, and says so', async () => {
    const browser = await launchChromium('webgl');
    try {
      const page = await browser.context.newPage();
      await page.goto(`${site.server.url}/?backend=ort-wasm&worker=/no-such-worker.js`);
      await page.getByTestId('backend').getByText('Running on WebAssembly').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('backend').textContent()).toMatch(
        /on the page's main thread.*\(the engine worker could not start: .+\)$/,
      );
    } finally {
      await browser.close();
    }
  });
});
