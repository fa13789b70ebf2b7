/**
 * The webview page in Debian's Chromium, speaking the real protocol with the real extension side: a short real
 * stylization with the partial VGG19 weights (shallow layers, 32 px, 3 iterations), progress, Cancel, and Save
 * writing a PNG of the right size beside the original.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumSkipReason, launchChromium, msUntilStatus } from '@impasto/browser-testing';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../scripts/build.js';
import { fake, resetFake, Uri } from '../src/test/vscode-fake.js';
import { openWebviewHost, type WebviewHost } from './webview-host.js';

function dataDir(variable: string): string | undefined {
  const dir = process.env[variable];
  return dir && existsSync(dir) ? dir : undefined;
}
const weightsDir = dataDir('IMPASTO_TEST_WEIGHTS');
const imagesDir = dataDir('IMPASTO_TEST_IMAGES');
const skip =
  chromiumSkipReason() ??
  (weightsDir ? undefined : 'IMPASTO_TEST_WEIGHTS is not set or missing') ??
  (imagesDir ? undefined : 'IMPASTO_TEST_IMAGES is not set or missing');
if (skip) console.warn(`skipping the VS Code webview browser test: ${skip}`);

const workspace = Uri.file('/workspace/site');
const image = Uri.joinPath(workspace, 'tubingen.jpg');
const styleFile = Uri.joinPath(workspace, 'styles/starry_night.jpg');
const saved = Uri.joinPath(workspace, 'tubingen.impasto.png');

describe.skipIf(!!skip)('the Impasto webview in Chromium, driven by the extension side', () => {
  let build: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let host: WebviewHost;
  const consoleErrors: string[] = [];
  // The panel's "Running on …" line.
  const backendLine = () => page.getByTestId('backend');

  beforeAll(async () => {
    build = mkdtempSync(path.join(tmpdir(), 'impasto-vscode-e2e-'));
    await buildExtension(path.join(build, 'dist'));
    resetFake();
    // Real images, made small: the content 48×36 (4:3), the style 32×32.
    const shrink = (file: string, w: number, h: number) =>
      sharp(path.join(imagesDir as string, file))
        .resize(w, h, { fit: 'fill' })
        .jpeg()
        .toBuffer();
    fake.fs.put(image, new Uint8Array(await shrink('tubingen.jpg', 48, 36)));
    fake.fs.put(styleFile, new Uint8Array(await shrink('starry_night.jpg', 32, 32)));
    // The weights folder: the webview fetches it over HTTP; the extension only checks that the manifest exists.
    fake.settings.set('impasto.weightsPath', weightsDir);
    fake.fs.put(Uri.file(path.join(weightsDir as string, 'weights_manifest.json')), '[]');
    fake.settings.set('impasto.defaultSize', 32);
    fake.settings.set('impasto.iterations', 3);
    // ONNX Runtime's WebAssembly: the fastest here (no GPU; WebGL/WebGPU run on SwiftShader), and it exercises its
    // .wasm through the webview's resource URIs and 'wasm-unsafe-eval' under the page's CSP. The engine's own browser
    // test covers webgpu and webgl.
    fake.settings.set('impasto.backend', 'ort-wasm');

    browser = await launchChromium('webgl');
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    host = await openWebviewHost(page, {
      image,
      distDir: path.join(build, 'dist'),
      weightsDir: weightsDir as string,
      extensionDir: build,
      globalStorage: Uri.file('/storage'),
    });
  });

  afterAll(async () => {
    await host?.close();
    await browser?.close();
    if (build) rmSync(build, { recursive: true, force: true });
  });

  it('loads the weights with progress reported to VS Code, on the configured backend', async () => {
    await host.waitFor('weightsLoaded');
    const progress = host.fromPage.filter((m) => m.type === 'weightsProgress');
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1) as unknown as { loaded: number; total: number };
    expect(last.loaded).toBe(last.total);
    expect(last.total).toBeGreaterThan(5e6);
    expect(fake.progress[0]?.title).toBe('Impasto: loading the VGG19 weights');
    // The engine starts in its worker once the weights are there (about 2 s here, more on a busy machine).
    await expect.poll(() => backendLine().getAttribute('data-backend'), { timeout: 30_000 }).toBe('ort-wasm');
    // A webview is not cross-origin isolated: one thread, and the line says why.
    expect(await backendLine().textContent()).toMatch(
      /^Running on WebAssembly \(ONNX Runtime\), one thread: the page is not cross-origin isolated/,
    );
    // The original, decoded in the page from the bytes the extension sent.
    expect(await page.getByTestId('preview').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([48, 36]);
  });

  it('stylizes with a style picked through the extension, showing each iteration', async () => {
    fake.openDialogResults.push([styleFile]);
    await page.getByTestId('pick-style').click();
    await expect.poll(() => page.getByTestId('chosen-styles').textContent()).toContain('starry_night.jpg');
    // Record every status line the panel shows during the run.
    await page.evaluate(() => {
      const status = document.querySelector('[data-testid="status"]') as HTMLElement;
      const seen: string[] = [];
      (window as never as { statusTexts: string[] }).statusTexts = seen;
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await page.getByTestId('start').click();
    await expect
      .poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 })
      .toMatch(/^Done: 3 iterations/);
    const seen = await page.evaluate(() => (window as never as { statusTexts: string[] }).statusTexts);
    expect(seen.filter((t) => t.startsWith('Iteration')).map((t) => t.slice(0, 'Iteration 1/3'.length))).toEqual([
      'Iteration 1/3',
      'Iteration 2/3',
      'Iteration 3/3',
    ]);
    expect(await page.getByTestId('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    expect(await page.getByTestId('preview').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([32, 24]);
  });

  it('saves a 32×24 PNG beside the original and opens it', async () => {
    const from = host.fromPage.length;
    await page.getByTestId('action-Save tubingen.impasto.png').click();
    const save = await host.waitFor('save', from);
    expect(save).toMatchObject({ width: 32, height: 24 });
    await expect.poll(() => page.getByTestId('message').textContent()).toBe('Saved tubingen.impasto.png');
    const png = fake.fs.get(saved);
    expect(png).toBeDefined();
    const meta = await sharp(png as Uint8Array).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 32, 24]);
    expect(fake.executed.map((e) => [e.command, (e.args[0] as Uri).path])).toEqual([['vscode.open', saved.path]]);
    expect(fake.fs.filesUnder(workspace)).toEqual([styleFile.path, saved.path, image.path].sort());
  });

  it('cancels a long run within an iteration', async () => {
    const iterations = page.getByTestId('iterations');
    await iterations.fill('500');
    await iterations.blur();
    await page.getByTestId('start').click();
    await expect
      .poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 })
      .toMatch(/^Iteration \d+\/500/);
    await page.getByTestId('cancel').click();
    await expect.poll(() => page.getByTestId('message').textContent(), { timeout: 30_000 }).toMatch(/^Cancelled/);
    expect(await page.getByTestId('start').isEnabled()).toBe(true);
    // Nothing else was saved or opened.
    expect(fake.executed).toHaveLength(1);
  });

  it('refuses a style the panel cannot run when it is picked, and says what happens within 1 s of Stylize', async () => {
    // A PNG header claiming 20000x20000 and nothing after: the extension passes it on (a PNG signature), the
    // panel refuses it from its header at once.
    const huge = Uri.file('/huge.png');
    const header = new Uint8Array(33);
    header.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(header.buffer).setUint32(16, 20000);
    new DataView(header.buffer).setUint32(20, 20000);
    fake.fs.put(huge, header);
    fake.openDialogResults.push([huge]);
    await page.getByTestId('pick-style').click();
    const words = 'huge.png is too large (20000x20000): the limit is 16384 px a side and 50 megapixels.';
    await expect.poll(() => page.getByTestId('message').textContent()).toBe(words);
    expect(await page.getByTestId('chosen-styles').textContent()).not.toContain('huge.png');
    // VS Code shows the same words.
    expect(fake.messages.splice(0)).toEqual([
      expect.objectContaining({ level: 'error', message: `Impasto: ${words}` }),
    ]);
    const ms = await msUntilStatus(page);
    console.log(`vscode webview: first status ${Math.round(ms)} ms after Stylize`);
    expect(ms).toBeLessThan(1000);
    await page.getByTestId('cancel').click();
    await page
      .getByTestId('message')
      .getByText(/^Cancelled/)
      .waitFor({ timeout: 60_000 });
  });

  it('ran under the strict Content-Security-Policy without a violation or page error', async () => {
    const violations = () => page.evaluate(() => (window as never as { __cspViolations: string[] }).__cspViolations);
    expect(await violations()).toEqual([]);
    // The panel's stylesheet was admitted (by the nonce) and the theme mapping applies…
    const look = await page.evaluate(() => {
      const panel = document.querySelector('.impasto-panel') as HTMLElement;
      return [getComputedStyle(panel).display, getComputedStyle(panel).maxWidth];
    });
    expect(look).toEqual(['grid', '720px']);

    expect(consoleErrors).toEqual([]);
    expect(fake.messages).toEqual([]);
    // …while the policy is in force: a style without the nonce is refused.
    await page.evaluate(() =>
      document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' })),
    );
    await expect.poll(violations).toEqual(['style-src-elem inline']);
  });
});
