// The panel's test site: the test page and the engine worker bundled, a small content image, the weights,
// ONNX Runtime's WebAssembly files and the examples, served from one origin (cross-origin isolated).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StaticServer, serveStatic } from '@impasto/browser-testing';
import { bundleEngineWorker, engineWasmFiles } from '@impasto/engine/worker-bundle';
import { build } from 'esbuild';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface PanelSite {
  readonly server: StaticServer;
  /** Holds content.png (40 px wide) and notes.txt (not an image). */
  readonly dir: string;
}

export async function startPanelSite(weightsDir: string): Promise<PanelSite> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impasto-panel-'));
  await build({
    entryPoints: [path.join(here, 'panel-page.ts')],
    bundle: true,
    format: 'esm',
    outfile: path.join(dir, 'page.js'),
    logLevel: 'error',
  });
  writeFileSync(path.join(dir, 'engine-worker.js'), await bundleEngineWorker({ minify: false }));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><body><script type="module" src="page.js"></script>');
  const examples = path.dirname(require.resolve('@impasto/examples/package.json'));
  const content = await sharp(path.join(examples, 'landscape.jpg')).resize(40).png().toBuffer();
  writeFileSync(path.join(dir, 'content.png'), content);
  writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
  const server = await serveStatic({
    '/weights/': weightsDir,
    '/wasm/': path.dirname(engineWasmFiles().wasm),
    '/examples/': examples,
    '/': dir,
  });
  return { server, dir };
}
