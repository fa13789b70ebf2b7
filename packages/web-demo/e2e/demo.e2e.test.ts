// The built site in Debian's Chromium: real weights (IMPASTO_TEST_WEIGHTS, conv1_1..conv3_4, so the panel runs the
// shallow layer set), 32 px, 3 iterations of Adam (one evaluation per iteration), as SwiftShader is slow.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chromiumSkipReason,
  type GpuMode,
  launchChromium,
  recordStatuses,
  smallTargets,
} from '@impasto/browser-testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SiteServer, serveSite } from '../scripts/server.js';
import { buildSite, PACKAGE_DIR } from '../scripts/site.js';

const require = createRequire(import.meta.url);
const weightsDir = process.env.IMPASTO_TEST_WEIGHTS;
const skip =
  chromiumSkipReason() ??
  (weightsDir && existsSync(weightsDir) ? undefined : `IMPASTO_TEST_WEIGHTS is ${weightsDir ? 'missing' : 'not set'}`);
if (skip) console.warn(`skipping the web demo's browser tests: ${skip}`);

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser['context']['newPage']>>;

const ARTIFACTS = path.join(PACKAGE_DIR, 'test-results');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big endian). */
function pngSize(bytes: Buffer) {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function canvasPixels(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=preview]') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const { width, height } = canvas;
    return { width, height, data: Array.from(ctx.getImageData(0, 0, width, height).data) };
  });
}

describe.skipIf(!!skip)('the web demo, built and served on localhost, in Chromium', () => {
  let fixtures: string;
  let site: string;
  let server: SiteServer;
  let bare: SiteServer; // the same site with an empty weights/ folder

  beforeAll(async () => {
    fixtures = mkdtempSync(path.join(tmpdir(), 'impasto-web-demo-'));
    site = path.join(fixtures, 'site');
    await buildSite({ outDir: site, weightsDir });
    const landscape = path.join(path.dirname(require.resolve('@impasto/examples/package.json')), 'landscape.jpg');
    await sharp(landscape).resize(32, 24).png().toFile(path.join(fixtures, 'photo.png'));
    writeFileSync(path.join(fixtures, 'notes.txt'), 'not an image');
    const tall = { width: 10, height: 30, channels: 3 as const, background: '#fff' };
    await sharp({ create: tall }).png().toFile(path.join(fixtures, 'tall-mask.png'));
    const huge = { width: 16400, height: 1, channels: 3 as const, background: '#888' };
    await sharp({ create: huge }).png().toFile(path.join(fixtures, 'huge.png'));
    mkdirSync(path.join(fixtures, 'no-weights'));
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await serveSite({ mounts: { '/': site } });
    bare = await serveSite({ mounts: { '/': site, '/weights/': path.join(fixtures, 'no-weights') } });
  });
  afterAll(async () => {
    await server?.close();
    await bare?.close();
    if (fixtures) rmSync(fixtures, { recursive: true, force: true });
  });

  /** Loads a photo and a style, runs 3 iterations, checks progress, the picture and the download; leaves the page open. */
  async function stylizeAndDownload(page: Page, mode: GpuMode | 'auto', backendLine: string) {
    await page.setViewportSize({ width: 1280, height: 860 });
    const statuses = await recordStatuses(page);
    await page.goto(`${server.url}/?size=32&iterations=3&optimizer=adam&backend=${mode}`);
    await page.getByTestId('backend').getByText(backendLine).waitFor({ timeout: 30_000 });
    // The engine runs in its worker (engine-worker.js beside app.js), not on the page's main thread.
    expect(await page.getByTestId('backend').textContent()).not.toMatch(/main thread/);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(statuses).toContain('Loading weights: 100%');
    expect(await page.locator('select[data-testid=size]').inputValue()).toBe('32'); // from the address

    if (mode !== 'webgpu') await page.getByTestId('content-upload').setInputFiles(path.join(fixtures, 'photo.png'));
    else await page.getByTestId('sample').click(); // landscape.jpg, 640×480
    await page.waitForFunction(() => (document.querySelector('[data-testid=preview]') as HTMLCanvasElement).width > 1);
    const start = await canvasPixels(page);
    await page.getByTestId('example-swirls').click();
    await page.getByTestId('chosen-styles').getByText('swirls').waitFor();
    await page.getByTestId('start').click();
    const download = page.getByTestId('action-Download PNG');
    await download.waitFor({ timeout: 220_000 });

    expect(statuses.some((s) => s.startsWith('Iteration 1/3 · loss'))).toBe(true);
    expect(statuses.some((s) => s.startsWith('Iteration 3/3 · loss'))).toBe(true);
    expect(statuses.at(-1)).toMatch(/^Done: 3 iterations in /);
    const shown = await canvasPixels(page);
    expect([shown.width, shown.height]).toEqual([32, 24]);
    if (mode !== 'webgpu') {
      // Same size as the upload, so the result can be compared pixel by pixel with the start image.
      expect([start.width, start.height]).toEqual([32, 24]);
      const meanChange =
        shown.data.reduce((sum, v, i) => sum + Math.abs(v - (start.data[i] as number)), 0) / shown.data.length;
      expect(meanChange).toBeGreaterThan(1);
    } else {
      expect([start.width, start.height]).toEqual([640, 480]);
    }

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^impasto-32x24-\d{8}-\d{6}\.png$/);
    const png = readFileSync(await file.path());
    expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 32, height: 24 });
    const decoded = await sharp(png).ensureAlpha().raw().toBuffer();
    expect(Array.from(decoded)).toEqual(shown.data);

    const screenshot = path.join(ARTIFACTS, `web-demo-finished-${mode}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot of the finished page: ${screenshot}`);
  }

  describe('as a person first meets it', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium('webgl');
    });
    afterAll(() => browser?.close());

    it('holds its layout from 360 px to wide, every control at least 24 px, with screenshots at 390 and 1280 px', async () => {
      const page = await browser.context.newPage();
      const failed: string[] = [];
      page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${new URL(r.url()).pathname}`));
      const longName = path.join(fixtures, 'a-style-whose-file-name-goes-on-and-on-and-on-and-on.png');
      await sharp({ create: { width: 24, height: 16, channels: 3, background: '#468' } })
        .png()
        .toFile(longName);
      await page.goto(`${server.url}/?backend=ort-wasm`);
      await page.getByTestId('backend').getByText('Running on WebAssembly').waitFor({ timeout: 60_000 });
      await page.getByTestId('sample').click();
      await page.getByTestId('example-swirls').click();
      await page.getByTestId('style-upload').setInputFiles(longName);
      await page.getByTestId('chosen-styles').locator('.ip-style-row').nth(1).waitFor();
      for (const width of [360, 390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        const layout = await page.evaluate(() => {
          const right = (sel: string) =>
            Math.max(...Array.from(document.querySelectorAll(sel)).map((e) => e.getBoundingClientRect().right));
          const rows = Array.from(document.querySelectorAll('.ip-style-row'));
          return {
            scrollWidth: document.documentElement.scrollWidth,
            clientWidth: document.documentElement.clientWidth,
            // Every style row's remove button stays inside its row (and the row inside the page).
            removeInside: rows.every((row) => {
              const button = Array.from(row.querySelectorAll('button')).at(-1) as HTMLElement;
              return button.getBoundingClientRect().right <= row.getBoundingClientRect().right + 0.5;
            }),
            rowsRight: right('.ip-style-row'),
            exampleNames: Array.from(document.querySelectorAll('.ip-examples button')).map(
              (b) => getComputedStyle(b, '::after').content,
            ),
          };
        });
        expect(layout.scrollWidth).toBe(layout.clientWidth);
        expect(layout.removeInside).toBe(true);
        expect(layout.rowsRight).toBeLessThanOrEqual(layout.clientWidth);
        expect(layout.exampleNames).toEqual(['"swirls"', '"embers"', '"waves"']);
        expect(await smallTargets(page)).toEqual([]); // WCAG 2.2: every control at least 24×24 px
        if (width !== 360) {
          const screenshot = path.join(ARTIFACTS, `web-demo-${width}px.png`);
          await page.screenshot({ path: screenshot, fullPage: true });
          console.log(`screenshot at ${width} px: ${screenshot}`);
        }
      }
      expect(failed).toEqual([]); // no 404s (favicon included)
      await page.close();
    });

    it('by default, without a hardware GPU: ONNX Runtime WebAssembly on two threads (the site is cross-origin isolated)', async () => {
      const page = await browser.context.newPage();
      await stylizeAndDownload(
        page,
        'auto',
        'Running on WebAssembly (ONNX Runtime), 2 threads, one per core (the page is cross-origin isolated)',
      );
      await page.close();
    }, 240_000);

    it('says which settings from the address were out of range, and the boxes show what is used', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/?backend=ort-wasm&size=99999&iterations=-5`);
      await expect
        .poll(() => page.getByTestId('message').textContent())
        .toBe(
          'From the address: size=99999 is out of range, so 4096 is used; iterations=-5 is out of range, so 1 is used.',
        );
      expect(await page.getByTestId('iterations').inputValue()).toBe('1');
      expect(await page.locator('select[data-testid=size]').inputValue()).toBe('4096');
      // Typed out of range: the box shows the value in use.
      await page.getByTestId('iterations').fill('99999');
      await page.getByTestId('iterations').dispatchEvent('change');
      await expect.poll(() => page.getByTestId('iterations').inputValue()).toBe('2000');
      await page.close();
    });
  });

  // WebGPU on SwiftShader compiles its pipelines slowly, the more so on a busy machine.
  describe('on webgpu', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium('webgpu');
    });
    afterAll(() => browser?.close());

    it('stylizes two images with live progress, and Download PNG saves the picture shown', async () => {
      const page = await browser.context.newPage();
      await stylizeAndDownload(page, 'webgpu', 'Running on WebGPU');
      await page.close();
    }, 240_000); // measured 26–145 s here, depending on how busy the machine was
  });

  describe('on webgl', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium('webgl');
    });
    afterAll(() => browser?.close());

    it('stylizes with live progress, Download PNG saves the picture shown, and Cancel stops a long run at once', async () => {
      const page = await browser.context.newPage();
      // Chosen by hand (Auto would take WebAssembly here), so the panel says the GPU is emulated.
      await stylizeAndDownload(page, 'webgl', 'Running on WebGL — emulated in software');

      // A second, long run in the same page (its shaders are compiled by now).
      const iterations = page.getByTestId('iterations');
      await iterations.fill('2000');
      await iterations.dispatchEvent('change');
      await page.getByTestId('start').click();
      await page
        .getByTestId('status')
        // Any iteration from the second on: the status changes every iteration, and one can pass between two polls.
        .getByText(/^Iteration (?:[2-9]|[1-9]\d+)\/2000/)
        .waitFor({ timeout: 60_000 });
      const clicked = Date.now();
      await page.getByTestId('cancel').click();
      await page.getByTestId('message').getByText('Cancelled.').waitFor({ timeout: 10_000 });
      expect(Date.now() - clicked).toBeLessThan(5_000);
      expect(await page.getByTestId('status').textContent()).toBe('');
      expect(await page.getByTestId('start').isEnabled()).toBe(true);
      expect(await page.getByTestId('result-actions').textContent()).toBe('');
      await page.close();
    }, 180_000);

    it('a non-image file or a huge image gives a readable message, and a good photo still works after', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/?size=32&backend=webgl&colour=red`);
      const message = page.getByTestId('message');
      await expect.poll(() => message.textContent()).toBe('From the address: ignored colour=red.');
      const upload = page.getByTestId('content-upload');
      await upload.setInputFiles(path.join(fixtures, 'notes.txt'));
      await expect
        .poll(() => message.textContent())
        .toBe('notes.txt is not an image this browser can read (PNG, JPEG, WebP and GIF are).');
      await upload.setInputFiles(path.join(fixtures, 'huge.png'));
      await expect
        .poll(() => message.textContent())
        .toBe('huge.png is too large (16400x1): the limit is 16384 px a side and 50 megapixels.');
      await upload.setInputFiles(path.join(fixtures, 'photo.png'));
      await expect.poll(() => message.textContent()).toBe('');
      expect((await canvasPixels(page)).width).toBe(32);

      // A style mask reaches the engine, which refuses one not drawn over the photo (another shape).
      await page.getByTestId('example-swirls').click();
      await page.getByTestId('mask-upload-0').setInputFiles(path.join(fixtures, 'tall-mask.png'));
      await page.getByTestId('chosen-styles').getByText('mask: tall-mask.png ✕').waitFor();
      await page.getByTestId('start').click();
      await expect
        .poll(() => message.textContent(), { timeout: 60_000 })
        .toBe(
          "The mask of style image 1 is 10x30, which does not have the content image's shape (32x24); draw the mask over the content image.",
        );
      expect(await page.getByTestId('start').isEnabled()).toBe(true);
      await page.close();
    });

    it('keeps the weights in the Cache API: the next visit downloads only the manifest', async () => {
      const first = await browser.context.newPage();
      await first.goto(`${server.url}/?backend=webgl`);
      await first.getByTestId('backend').getByText('Running on WebGL').waitFor({ timeout: 30_000 });
      await expect
        .poll(() =>
          first.evaluate(async () => {
            const names = await caches.keys();
            const cache = await caches.open(names.find((n) => n.startsWith('impasto-weights')) ?? '');
            return (await cache.keys()).length;
          }),
        )
        .toBe(9); // the manifest and its 8 shards
      await first.close();

      const second = await browser.context.newPage();
      const requested: string[] = [];
      second.on('request', (r) => {
        if (r.url().includes('/weights/')) requested.push(new URL(r.url()).pathname);
      });
      await second.goto(`${server.url}/?backend=webgl`);
      await second.getByTestId('backend').getByText('Running on WebGL').waitFor({ timeout: 30_000 });
      expect(requested).toEqual(['/weights/weights_manifest.json']);
      await second.close();
    });

    it('without weights on the site, says how to provide them and loads a folder picked from disk', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${bare.url}/?backend=webgl`);
      const help = page.getByTestId('weights-help');
      await help.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('message').textContent()).toMatch(
        /^Could not load the network: This site has no weights yet \(http:.*\/weights\/weights_manifest\.json was not found\)$/,
      );
      expect(await help.textContent()).toContain('pnpm models:fetch');

      const folder = page.getByTestId('weights-folder');
      await folder.setInputFiles(path.join(fixtures, 'no-weights', '..', 'site', 'examples'));
      await expect
        .poll(() => page.getByTestId('weights-folder-message').textContent())
        .toBe(
          'The chosen folder has no weights_manifest.json; choose the folder that `pnpm models:fetch` writes (models/vgg19)',
        );

      await folder.setInputFiles(weightsDir as string);
      await page.getByTestId('backend').getByText('Running on WebGL').waitFor({ timeout: 30_000 });
      expect(await help.isHidden()).toBe(true);
      expect(await page.getByTestId('message').textContent()).toBe('');
      await page.close();
    });
  });
});
