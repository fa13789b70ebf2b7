import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium, serveStatic } from '@impasto/browser-testing';
import { build } from 'esbuild';
import { engineWasmFiles } from '../build/engine-worker-bundle.js';
const dir = mkdtempSync(path.join(tmpdir(), 'p-'));
await build({ entryPoints: ['e2e/memprobe-page.ts'], bundle: true, format: 'esm', outfile: path.join(dir, 'p.js'), logLevel: 'error' });
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="p.js"></script>');
const server = await serveStatic({ '/ort/': path.dirname(engineWasmFiles().wasm), '/': dir });
for (const [size, shallow] of JSON.parse(process.argv[2]) as [number, boolean][]) {
  const b = await launchChromium('webgl');
  const page = await b.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => typeof (window as any).probe === 'function');
  console.log(JSON.stringify(await page.evaluate(([u, s, sh]) => (window as any).probe(u, s, sh), [`${server.url}/ort/`, size, shallow] as const)));
  await b.close();
}
await server.close();
