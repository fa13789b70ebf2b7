/**
 * `pnpm --filter @impasto/web-demo large-run --weights DIR [--size 2048] [--backend auto|ort-wasm|webgl|webgpu|cpu] [--iterations 1]
 * [--optimizer adam] [--content FILE] [--style FILE] [--out DIR]`: builds the site with the given weights, opens it
 * in Debian's Chromium, stylizes the site's sample photo (or `--content`) with the swirls example (or `--style`) at
 * `--size` exactly as a visitor would (the address sets the settings, the buttons and file pickers do the rest),
 * and prints how long each phase took, how many tiles it ran, and the peak memory of the page's renderer and of the
 * GPU process. `--backend auto` is what a visitor gets (here: ONNX Runtime's WebAssembly, the graphics being SwiftShader). The
 * result is downloaded to `--out` (default: test-results/); a run the panel refuses or that fails prints the
 * panel's words and exits 1. A measurement, not a test: at 2048 px on software WebGL it takes hours.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumSkipReason, launchChromium, watchChromiumMemory } from '@impasto/browser-testing';
import { BROWSER_BACKEND_CHOICES } from '@impasto/engine';
import { serveSite } from './server.js';
import { buildSite, PACKAGE_DIR } from './site.js';

const { values } = parseArgs({
  options: {
    weights: { type: 'string', default: process.env.IMPASTO_WEIGHTS ?? process.env.IMPASTO_TEST_WEIGHTS },
    size: { type: 'string', default: '2048' },
    backend: { type: 'string', default: 'auto' },
    iterations: { type: 'string', default: '1' },
    optimizer: { type: 'string', default: 'adam' },
    content: { type: 'string' },
    style: { type: 'string' },
    out: { type: 'string', default: path.join(PACKAGE_DIR, 'test-results') },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};
if (!values.weights) fail('large-run needs --weights DIR (a folder written by `pnpm models:fetch` or the converter)');
const skip = chromiumSkipReason();
if (skip) fail(`large-run needs Chromium: ${skip}`);
const BACKENDS: readonly string[] = BROWSER_BACKEND_CHOICES;
if (!BACKENDS.includes(values.backend as string)) fail(`--backend must be one of ${BACKENDS.join(', ')}`);
const backend = values.backend as string;
const MiB = 1024 ** 2;

const work = mkdtempSync(path.join(tmpdir(), 'impasto-large-run-'));
const site = path.join(work, 'site');
await buildSite({ outDir: site, weightsDir: values.weights as string });
const server = await serveSite({ mounts: { '/': site } });
const browser = await launchChromium(backend === 'webgpu' ? 'webgpu' : 'webgl');
const memory = watchChromiumMemory(browser.userDataDir, 500);
const t0 = Date.now();
const seconds = (t: number) => `${((t - t0) / 1000).toFixed(0)} s`;
try {
  const page = await browser.context.newPage();
  /** Each new phase or tile the status line names (not its every loss or time-left update), with its time. */
  const phases: { at: number; text: string }[] = [];
  let tiles = 0;
  let last = '';
  await page.exposeFunction('reportStatus', (text: string) => {
    const tile = / tile (\d+) of (\d+)/.exec(text);
    if (tile) tiles = Number(tile[2]);
    const phase = `${text.replace(/ · .*$/, '').replace(/\d.*$/, '')}|${tile?.[0] ?? ''}`;
    if (phase === last) return;
    last = phase;
    phases.push({ at: Date.now(), text });
    console.log(`${seconds(Date.now())}  ${text}`);
  });
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid=status]');
      if (el) (window as unknown as { reportStatus(s: string): void }).reportStatus(el.textContent ?? '');
    }).observe(document, { childList: true, characterData: true, subtree: true });
  });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  const query = `size=${values.size}&iterations=${values.iterations}&optimizer=${values.optimizer}&backend=${backend}`;
  await page.goto(`${server.url}/?${query}`);
  await page.getByTestId('backend').getByText('Running on').waitFor({ timeout: 120_000 });
  console.log(`${seconds(Date.now())}  ${await page.getByTestId('backend').textContent()}`);
  if (values.content) await page.getByTestId('content-upload').setInputFiles(values.content);
  else await page.getByTestId('sample').click();
  if (values.style) await page.getByTestId('style-upload').setInputFiles(values.style);
  else await page.getByTestId('example-swirls').click();
  await page
    .getByTestId('chosen-styles')
    .getByText(values.style ? path.basename(values.style) : 'swirls')
    .waitFor();
  const sizeMenu = await page.locator('select[data-testid=size] option').allTextContents();
  console.log(`size menu: ${sizeMenu.join(' | ')}`);
  const started = Date.now();
  await page.getByTestId('start').click();
  const download = page.getByTestId('action-Download PNG');
  const message = page.getByTestId('message');
  const outcome = await Promise.race([
    download.waitFor({ timeout: 0 }).then(() => 'done' as const),
    message
      .filter({ hasText: /\S/ })
      .waitFor({ timeout: 0 })
      .then(() => 'message' as const),
  ]);
  const finished = Date.now();
  const peaks = memory.stop();
  const peakWords = `peak memory: renderer ${Math.round(peaks.renderer / MiB)} MiB, GPU process ${Math.round(peaks.gpu / MiB)} MiB`;
  if (outcome === 'message') {
    fail(
      `the run ended after ${((finished - started) / 1000).toFixed(0)} s with a message: ${await message.textContent()}\n${peakWords}`,
    );
  }
  mkdirSync(values.out as string, { recursive: true });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const saved = path.join(values.out as string, file.suggestedFilename());
  await file.saveAs(saved);
  console.log(`\n${backend}, ${values.size} px, ${values.iterations} iteration(s) of ${values.optimizer}`);
  console.log(`stylize: ${((finished - started) / 1000).toFixed(0)} s from Stylize to the result`);
  console.log(`tiles in the last pass: ${tiles || 'none (untiled)'}`);
  console.log(`final status: ${phases.at(-1)?.text ?? ''}`);
  console.log(peakWords);
  console.log(`result: ${saved}`);
} finally {
  memory.stop();
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
