/**
 * `pnpm --filter @impasto/engine measure-memory [--paths wasm,webgl,webgpu] [--layers shallow,paper]
 * [--tiles 192,256,384] [--image-scale 2] [--untiled] [--iterations 1] [--json FILE]`: measures, in Debian's
 * Chromium, what one run of the engine in its worker holds on each browser compute path, per layer set and tile
 * side: the peak RSS of the renderer (the page, its worker, their wasm heaps) and of the GPU process (WebGL/WebGPU
 * memory: RAM on SwiftShader), the worker's wasm heaps (WebAssembly.Memory sizes: they never shrink) and tfjs's GPU
 * bytes. Each point is one run (the starting image and one Adam step: two evaluations) in a fresh browser, over an
 * image `--image-scale` times the tile side cut into tiles of that side (inner and edge tiles, as a real run has);
 * `--untiled` runs one pass over an image of that side instead. Then it fits, per path, the pass's bytes against its
 * activations and weights — the model in src/memory-policy.ts — and prints the table and the fitted rows. A
 * measurement, not a test: minutes per point on SwiftShader. A new compute path is measured by naming it in --paths
 * (any `backend` the engine accepts).
 */

import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumSkipReason, launchChromium, serveStatic, watchChromiumMemory } from '@impasto/browser-testing';
import { messageOf } from '@impasto/errors';
import { build } from 'esbuild';
import { bundleEngineWorker, engineWasmFiles } from '../build/engine-worker-bundle.js';
import { LAYER_PRESETS } from '../src/index.js';
import { weightBytes } from '../src/memory/memory-policy.js';
import { activationBytesPerPixel } from '../src/tiling/budget.js';
import type { MeasureRequest, MeasureResult } from './measure-page.js';

const { values } = parseArgs({
  options: {
    paths: { type: 'string', default: 'wasm,webgl,webgpu' },
    layers: { type: 'string', default: 'shallow,paper' },
    tiles: { type: 'string', default: '192,256,384' },
    'image-scale': { type: 'string', default: '2' },
    untiled: { type: 'boolean', default: false },
    iterations: { type: 'string', default: '1' },
    weights: { type: 'string', default: process.env.IMPASTO_TEST_WEIGHTS ?? process.env.IMPASTO_WEIGHTS },
    json: { type: 'string' },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};
const skip = chromiumSkipReason();
if (skip) fail(`measure-memory needs Chromium: ${skip}`);
const list = (s: string | undefined) => (s ?? '').split(',').filter(Boolean);
const layerSets = list(values.layers) as ('shallow' | 'paper')[];
if (layerSets.includes('shallow') && !values.weights) fail('the shallow layer set runs on real weights: --weights DIR');

const MiB = 1024 ** 2;
const mib = (bytes: number) => (bytes / MiB).toFixed(0);

async function serve() {
  const dir = mkdtempSync(path.join(tmpdir(), 'impasto-measure-'));
  await build({
    entryPoints: [path.join(import.meta.dirname, 'measure-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: path.join(dir, 'measure.js'),
    logLevel: 'error',
  });
  writeFileSync(path.join(dir, 'engine-worker.js'), await bundleEngineWorker({ minify: false }));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="measure.js"></script>');
  // One wasm folder, as a host serves it: tfjs-wasm's binaries and onnxruntime-web's (ort-wasm).
  const wasmDir = path.join(dir, 'wasm');
  mkdirSync(wasmDir);
  const tfjsWasm = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  const ort = engineWasmFiles();
  const binaries = [
    ...readdirSync(tfjsWasm)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => path.join(tfjsWasm, f)),
    ort.wasm,
    ort.glue,
  ];
  for (const file of binaries) symlinkSync(file, path.join(wasmDir, path.basename(file)));
  return serveStatic({ ...(values.weights ? { '/weights/': values.weights } : {}), '/': dir });
}

interface Row extends MeasureResult {
  readonly path: string;
  readonly layers: 'shallow' | 'paper';
  readonly size: number;
  /** Bytes of the float32 activations of every conv layer the pass runs, over its largest tile (or the image). */
  readonly activationBytes: number;
  readonly rendererPeak: number;
  readonly gpuProcessPeak: number;
}

async function measureOne(server: { url: string }, request: Omit<MeasureRequest, 'weightsUrl' | 'wasmUrl'>) {
  const browser = await launchChromium(request.backend === 'webgpu' ? 'webgpu' : 'webgl');
  const watch = watchChromiumMemory(browser.userDataDir);
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => m.type() === 'error' && console.error(`  page: ${m.text()}`));
    await page.goto(server.url);
    await page.waitForFunction(() => typeof window.measure === 'function');
    const result = await page.evaluate((r) => window.measure(r), {
      ...request,
      weightsUrl: `${server.url}/weights/`,
      wasmUrl: `${server.url}/wasm/`,
    });
    return { result, peaks: watch.stop() };
  } finally {
    watch.stop();
    await browser.close();
  }
}

/** Least squares of y against x: slope and intercept. */
function fitLine(points: readonly { x: number; y: number }[]) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx > 0 ? points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/**
 * The model's row for a path's points, as an upper envelope: passFactor the steepest least-squares slope of one
 * layer set's bytes against its activations; then, above passFactor × activations, what is left at each layer set's
 * worst point against its weights: fixedBytes and weightFactor through those, lifted over every point (one layer
 * set: all of it fixed). Wasm heaps grow in steps (by a fifth, or the request and 96 MiB), so their sizes are steps.
 */
function envelope(points: readonly Row[]) {
  const bytes = (r: Row) => r.wasmHeapBytes + r.gpuBytes;
  const sets = [...new Set(points.map((r) => r.layers))];
  let passFactor = 0;
  for (const set of sets) {
    const mine = points.filter((r) => r.layers === set);
    if (mine.length > 1) {
      passFactor = Math.max(passFactor, fitLine(mine.map((r) => ({ x: r.activationBytes, y: bytes(r) }))).slope);
    }
  }
  const rest = sets.map((set) => {
    const mine = points.filter((r) => r.layers === set);
    const preset = LAYER_PRESETS[set];
    return {
      weights: weightBytes([...preset.contentLayers, ...preset.styleLayers]),
      left: Math.max(...mine.map((r) => bytes(r) - passFactor * r.activationBytes)),
    };
  });
  if (rest.length < 2) return { passFactor, fixedBytes: rest[0]?.left ?? 0, weightFactor: 0 };
  const line = fitLine(rest.map((r) => ({ x: r.weights, y: r.left })));
  const lift = Math.max(...rest.map((r) => r.left - (line.intercept + line.slope * r.weights)));
  return { passFactor, fixedBytes: line.intercept + lift, weightFactor: line.slope };
}

const server = await serve();
const rows: Row[] = [];
try {
  for (const backend of list(values.paths)) {
    for (const layers of layerSets) {
      for (const side of list(values.tiles).map(Number)) {
        const t0 = Date.now();
        const size = values.untiled ? side : Math.round(side * Number(values['image-scale']));
        const measured = await measureOne(server, {
          backend,
          layers,
          size,
          // A tile side at least the image's runs it untiled.
          tileSize: values.untiled ? 4096 : side,
          iterations: Number(values.iterations),
        }).catch((e: unknown) => {
          console.error(`${backend} ${layers} ${size} px: failed: ${messageOf(e)}`);
          return null;
        });
        if (!measured) continue;
        const { result, peaks } = measured;
        const preset = LAYER_PRESETS[layers];
        const row: Row = {
          ...result,
          path: backend,
          layers,
          size,
          // The largest tile's (or the image's) activations.
          activationBytes: activationBytesPerPixel([...preset.contentLayers, ...preset.styleLayers]) * side * side,
          rendererPeak: peaks.renderer,
          gpuProcessPeak: peaks.gpu,
        };
        rows.push(row);
        if (values.json) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
        console.log(
          `${backend} ${layers} ${size} px${result.tiles ? ` (${result.tiles} tiles of ≤ ${side})` : ' untiled'}: wasm heap ${mib(row.wasmHeapBytes)} MiB, tfjs GPU ${mib(row.gpuBytes)} MiB (ready: ${mib(row.readyBytes)} MiB), renderer ${mib(row.rendererPeak)} MiB, GPU process ${mib(row.gpuProcessPeak)} MiB, activations ${mib(row.activationBytes)} MiB; ${(result.ms / 1000).toFixed(1)} s, ${result.evaluations} evaluations (${((Date.now() - t0) / 1000).toFixed(0)} s with start-up)`,
        );
      }
    }
  }
} finally {
  await server.close();
}

console.log('\nPer path, an upper envelope of the backend bytes (wasm heaps + tfjs GPU bytes), memory-policy.ts:');
for (const backend of list(values.paths)) {
  const mine = rows.filter((r) => r.path === backend);
  if (mine.length < 2) continue;
  const row = envelope(mine);
  const ready = Math.max(...mine.map((r) => r.readyBytes));
  console.log(
    `  ${backend}: { passFactor: ${row.passFactor.toFixed(2)}, fixedBytes: ${mib(row.fixedBytes)} * MiB, weightFactor: ${row.weightFactor.toFixed(2)} } (loaded before a run: ${mib(ready)} MiB)`,
  );
}
if (values.json) console.log(`rows written to ${values.json}`);
