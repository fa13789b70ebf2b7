/**
 * The built ui.html in Debian's Chromium, inside a stand-in for Figma that speaks the real protocol (parent-page.ts):
 * a real photo goes in as PNG bytes, a short stylization runs on the real partial weights, PNG bytes come back.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromiumSkipReason,
  launchChromium,
  msUntilStatus,
  type StaticServer,
  serveStatic,
} from '@impasto/browser-testing';
import { build } from 'esbuild';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from '../scripts/build.js';
import { pngSize } from '../src/sandbox/png.js';
import type { StandInLayer, StandInSetup } from './parent-page.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const weightsDir = process.env.IMPASTO_TEST_WEIGHTS;
const imagesDir = process.env.IMPASTO_TEST_IMAGES;
const skip =
  chromiumSkipReason() ??
  (weightsDir && existsSync(weightsDir) ? undefined : 'IMPASTO_TEST_WEIGHTS is not set or missing') ??
  (imagesDir && existsSync(path.join(imagesDir, 'tubingen.jpg'))
    ? undefined
    : 'IMPASTO_TEST_IMAGES is not set or has no tubingen.jpg');
if (skip) console.warn(`skipping the Figma plugin UI's browser tests: ${skip}`);

/** A real photo, made small with sharp (SwiftShader is slow), as a layer the stand-in exports. */
async function layer(file: string, id: string, name: string, longSide: number): Promise<StandInLayer> {
  const png = await sharp(path.join(imagesDir as string, file))
    .resize(longSide, longSide, { fit: 'inside' })
    .png()
    .toBuffer();
  const { width, height } = pngSize(png);
  // The layer on the canvas is 50x larger; the UI only ever sees the export.
  return { node: { id, name, type: 'FRAME', width: width * 50, height: height * 50 }, png: [...png], width, height };
}

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser['context']['newPage']>>;

const SETTINGS = {
  size: 32,
  iterations: 3,
  strength: 50,
  optimizer: 'lbfgs',
  start: 'content',
  seed: 0,
  backend: 'auto',
  keepColors: false,
};

/** What the UI sent, as the stand-in recorded it: { type, ...payload }. */
type Sent = { type: string; png?: number[]; originalId?: string; [field: string]: unknown };

describe.skipIf(!!skip)('the plugin UI in Chromium, inside a stand-in for Figma', () => {
  let page: Page;
  let pageServer: StaticServer;
  let weightsServer: StaticServer;
  let browser: Browser;
  let html: string;
  let htmlWithoutCors: string;
  let content: StandInLayer;
  let style: StandInLayer;

  beforeAll(async () => {
    // The weights on another origin, with the one header a null-origin iframe needs (see README).
    weightsServer = await serveStatic({ '/': weightsDir as string }, { 'Access-Control-Allow-Origin': '*' });
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-figma-'));
    // No cross-origin isolation headers: Figma's iframe has none either, so WebAssembly runs one thread. The
    // weights are here too, without the CORS header, for the test that shows it is needed.
    pageServer = await serveStatic({ '/weights/': weightsDir as string, '/': path.join(dir, 'page') }, {});
    await Promise.all([
      // The page server's origin is allowed too, so the weights URL setting may point there (it sends no CORS header).
      buildPlugin({
        outDir: path.join(dir, 'plugin'),
        weightsUrl: `${weightsServer.url}/`,
        extraDomains: [pageServer.url],
      }),
      buildPlugin({ outDir: path.join(dir, 'no-cors'), weightsUrl: `${pageServer.url}/weights/` }),
    ]);
    html = readFileSync(path.join(dir, 'plugin/ui.html'), 'utf8');
    htmlWithoutCors = readFileSync(path.join(dir, 'no-cors/ui.html'), 'utf8');
    await build({
      entryPoints: [path.join(here, 'parent-page.ts')],
      bundle: true,
      format: 'iife',
      outfile: path.join(dir, 'page/page.js'),
      logLevel: 'error',
    });
    writeFileSync(path.join(dir, 'page/index.html'), '<!doctype html><body><script src="page.js"></script>');
    content = await layer('tubingen.jpg', '1:2', 'Tübingen', 32);
    style = await layer('starry_night.jpg', '1:3', 'Starry Night', 32);
    browser = await launchChromium('webgl');
  });
  afterAll(async () => {
    await browser?.close();
    await weightsServer?.close();
    await pageServer?.close();
  });

  async function open(setup: Omit<StandInSetup, 'html'>, uiHtml = html) {
    await page?.close(); // one plugin open at a time, as in Figma (each compiles its own WebAssembly)
    page = await browser.context.newPage();
    await page.goto(pageServer.url);
    await page.evaluate((s) => window.startPlugin(s), { ...setup, html: uiHtml });
    const ui = page.frameLocator('iframe');
    // The engine starts by compiling ONNX Runtime's WebAssembly (14 MB): on a busy 2-core machine the iframe answers
    // clicks slowly until that is done, so the tests begin once the engine is ready (or has said why not).
    await ui
      .getByText(/^(Running on|Could not load the network)/)
      .first()
      .waitFor({ timeout: 120_000 });
    return ui;
  }

  const sent = async () => (await page.evaluate(() => window.fromUi)) as Sent[];
  const waitForSent = (type: Sent['type'], timeout = 90_000) =>
    page.waitForFunction((t) => window.fromUi.some((m) => (m as { type: string }).type === t), type, { timeout });

  it('stylizes the exported layer with the other selected layer as the style, and sends back a PNG to place', async () => {
    // Adam: one network evaluation per iteration (L-BFGS runs on ort-wasm below), as SwiftShader's WebGL is slow.
    const ui = await open({ settings: { ...SETTINGS, iterations: 2, optimizer: 'adam' }, content, style });
    await ui.getByTestId('selection').getByText('Layer: “Tübingen”').waitFor();
    await ui.getByTestId('use-other-style').click();
    await ui.getByTestId('chosen-styles').getByText('Starry Night').waitFor();
    await ui
      .locator('.ip-backend')
      .getByText(/^Running on/)
      .waitFor({ timeout: 60_000 });
    await ui.getByTestId('start').click();
    await waitForSent('place');

    const messages = await sent();
    const exports = messages.filter((m) => m.type === 'export');
    expect(exports).toEqual([
      { type: 'export', nodeId: '1:2', role: 'content', size: 32 },
      { type: 'export', nodeId: '1:3', role: 'style', size: 32 },
    ]);
    const place = messages.find((m) => m.type === 'place') as { png: number[]; originalId: string };
    expect(place.originalId).toBe('1:2');
    const result = Uint8Array.from(place.png);
    expect(pngSize(result)).toEqual({ width: content.width, height: content.height });
    // The pixels moved away from the photo: mean absolute difference over all channels, 0–255.
    const raw = async (png: Uint8Array) => sharp(png).ensureAlpha().raw().toBuffer();
    const [before, after] = await Promise.all([raw(Uint8Array.from(content.png)), raw(result)]);
    const diff = before.reduce((sum, v, i) => sum + Math.abs(v - (after[i] ?? 0)), 0) / before.length;
    expect(diff).toBeGreaterThan(5);
    await ui.getByTestId('message').getByText('Placed “Tübingen (Impasto)” beside “Tübingen”.').waitFor();
    console.log(
      `figma UI: ${await ui.locator('.ip-backend').textContent()}; ${await ui.getByTestId('status').textContent()}; mean |Δ| ${diff.toFixed(1)}`,
    );
  });

  it('auto passes over the software GPU and says why; a bad style is refused when added; a status within 1 s', async () => {
    const ui = await open({ settings: { ...SETTINGS, iterations: 1 }, content, style: null });
    const line = ui.locator('.ip-backend');
    await line.getByText('Running on WebAssembly').waitFor({ timeout: 60_000 });
    expect(await line.textContent()).toMatch(/graphics are emulated in software \(.*SwiftShader.*\)/i);
    await ui
      .getByTestId('style-upload')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await expect
      .poll(() => ui.getByTestId('message').textContent())
      .toBe('notes.txt is not an image this browser can read (PNG, JPEG, WebP and GIF are).');
    await ui.getByTestId('example-swirls').click();
    await ui.getByTestId('chosen-styles').getByText('swirls').waitFor();
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const ms = await msUntilStatus(frame as NonNullable<typeof frame>);
    console.log(`figma UI: first status ${Math.round(ms)} ms after Stylize`);
    expect(ms).toBeLessThan(1000);
    await waitForSent('place');
  });

  it("runs on ONNX Runtime's WebAssembly from the binary inlined (gzipped) in ui.html, on one thread", async () => {
    const ui = await open({ settings: { ...SETTINGS, iterations: 2, backend: 'ort-wasm' }, content, style: null });
    await ui.getByTestId('example-swirls').click();
    await ui.getByTestId('chosen-styles').getByText('swirls').waitFor();
    await ui.locator('.ip-backend').getByText('Running on WebAssembly (ONNX Runtime)').waitFor({ timeout: 60_000 });
    // In the engine worker, started from the code inlined in ui.html (a null-origin iframe loads no other file).
    const line = await ui.locator('.ip-backend').textContent();
    expect(line).not.toMatch(/main thread/);
    expect(line).toMatch(/^Running on WebAssembly \(ONNX Runtime\), one thread: the page is not cross-origin isolated/);
    await ui.getByTestId('start').click();
    await waitForSent('place');
    const place = (await sent()).find((m) => m.type === 'place') as { png: number[] };
    expect(pngSize(Uint8Array.from(place.png))).toEqual({ width: content.width, height: content.height });
  });

  it('cancels a run without placing anything, and saves changed settings', async () => {
    // WebGL: its GPU read-backs let the page handle clicks between iterations. On wasm the engine's loop never
    // yields to the event loop, so Cancel cannot be clicked until the run ends (reported to the engine's owner).
    const settings = { ...SETTINGS, iterations: 500, optimizer: 'adam', backend: 'webgl' };
    const ui = await open({ settings, content, style: null });
    await ui.getByTestId('example-swirls').click();
    await ui.getByTestId('chosen-styles').getByText('swirls').waitFor();
    await ui.getByTestId('start').click();
    await ui
      .getByTestId('status')
      .getByText(/^Iteration \d+\/500/)
      .waitFor({ timeout: 60_000 });
    await ui.getByTestId('cancel').click();
    await ui.getByTestId('message').getByText('Cancelled.').waitFor();
    expect(await ui.getByTestId('start').isEnabled()).toBe(true);
    expect((await sent()).some((m) => m.type === 'place')).toBe(false);

    // A new size exports the layer again at that size.
    await ui.getByTestId('size').selectOption('128');
    await page.waitForFunction(() => window.fromUi.some((m) => (m as { size?: number }).size === 128));

    await ui.getByTestId('iterations').fill('42');
    await ui.getByTestId('iterations').dispatchEvent('change');
    await page.waitForFunction(() =>
      window.fromUi.some((m) => (m as { settings?: { iterations?: number } }).settings?.iterations === 42),
    );
    const saved = (await sent()).filter((m) => m.type === 'save-settings').at(-1);
    expect(saved).toEqual({ type: 'save-settings', settings: { ...settings, size: 128, iterations: 42 } });
  }, 300_000); // each plugin start compiles ONNX Runtime's 14 MB WebAssembly: minutes on a busy machine

  it('says so, in the UI and in Figma, when the weights host does not send the CORS header', async () => {
    const ui = await open({ settings: SETTINGS, content, style: null }, htmlWithoutCors);
    const message = ui.getByTestId('message');
    await message.getByText(/^Could not load the network/).waitFor();
    expect(await message.textContent()).toMatch(
      /^Could not load the network: could not fetch weights from http.*weights_manifest\.json/i,
    );
    await waitForSent('notify', 5_000);
    const notify = (await sent()).find((m) => m.type === 'notify');
    expect(notify).toMatchObject({ error: true, message: expect.stringMatching(/^Could not load the network/) });
  });

  it('the weights URL setting: a 404, a CORS failure and a URL the build does not allow each say which', async () => {
    const ui = await open({ settings: SETTINGS, content, style: null });
    const note = ui.getByTestId('weights-url-message');
    await ui.locator('.fp-weights summary').click();
    await note.getByText('Weights loaded.').waitFor({ timeout: 60_000 });
    const use = async (url: string) => {
      await ui.getByTestId('weights-url').fill(url);
      await ui.getByTestId('weights-url-apply').click();
    };

    const missing = `${weightsServer.url}/nothing-here/`;
    await use(missing);
    await note.getByText(/HTTP 404/).waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toBe(
      `Could not load the network: Could not fetch weights from ${missing}weights_manifest.json: HTTP 404 Not Found (nothing there: check the URL)`,
    );
    expect((await sent()).filter((m) => m.type === 'save-weights-url').at(-1)).toEqual({
      type: 'save-weights-url',
      url: missing,
    });

    await use(`${pageServer.url}/weights/`);
    await note.getByText(/CORS/).waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toMatch(
      /^Could not load the network: Could not fetch weights from http:\/\/127\.0\.0\.1:\d+\/weights\/weights_manifest\.json: .* \(the server is unreachable, or it does not allow this page's origin: CORS\)$/,
    );

    const saves = (await sent()).filter((m) => m.type === 'save-weights-url').length;
    await use('https://elsewhere.example/vgg19/');
    await note.getByText(/^Not used: this build of the plugin may only download from/).waitFor();
    expect((await sent()).filter((m) => m.type === 'save-weights-url').length).toBe(saves);

    await use(''); // back to the build's default
    await note.getByText('Weights loaded.').waitFor({ timeout: 60_000 });
    expect((await sent()).filter((m) => m.type === 'save-weights-url').at(-1)).toEqual({
      type: 'save-weights-url',
      url: '',
    });

    // A stored URL is used from the start.
    const again = await open({ settings: SETTINGS, weightsUrl: missing, content, style: null });
    await again
      .getByTestId('weights-url-message')
      .getByText(/HTTP 404/)
      .waitFor({ timeout: 30_000 });
  }, 300_000); // each plugin start compiles ONNX Runtime's 14 MB WebAssembly: minutes on a busy machine
});
