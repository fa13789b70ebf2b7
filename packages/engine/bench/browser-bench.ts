/**
 * `pnpm bench:browser [--sizes 256,512] [--gpu-sizes 256] [--paths node-onnx,ort-wasm,ort-wasm-1t,ort-wasm-direct,ort-wasm-2x2,ort-wasm-4x4,tfjs-wasm,tfjs-webgl,
 * tfjs-webgpu,ort-webgpu] [--repeats 3] [--gpu-repeats 1] [--json]`: milliseconds per loss evaluation (forward + backward to conv5_1,
 * synthetic weights, the paper's layers) on each browser compute path in Debian's Chromium, beside Node's ONNX path
 * with all cores, in one run: Node before and after the browser paths, each browser path in a browser of its own
 * (a cross-origin isolated page, so threads may run). Each path runs as the engine would run it (its memory budget,
 * tiles where that says so). The software GPU paths (SwiftShader here) take minutes per evaluation, so they run at
 * --gpu-sizes. Prints a table and the ratios to Node; with --json, one JSON line per row.
 * Figures, never test assertions: the machine is shared and noisy, so compare within one run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumSkipReason, launchChromium, serveStatic } from '@impasto/browser-testing';
import { syntheticWeights } from '@impasto/weights/testing';
import { build } from 'esbuild';
import { engineWasmFiles } from '../build/engine-worker-bundle.js';
import { benchPoint, benchSpec } from '../src/bench-spec.js';
import { createOnnxLossProgramFactory, onnxAvailable } from '../src/onnx/ort-node.js';
import type { PagePath } from './bench-page.js';
import { type BenchResult, timeEvaluations } from './bench-timing.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PATHS = [
  'node-onnx',
  'ort-wasm',
  'ort-wasm-1t',
  'ort-wasm-direct',
  'ort-wasm-2x2',
  'ort-wasm-4x4',
  'tfjs-wasm',
  'tfjs-webgl',
  'tfjs-webgpu',
  'ort-webgpu',
] as const;
type PathName = (typeof PATHS)[number];
/** ort-wasm with a conv algorithm other than its default, to compare them. */
const CONV_VARIANTS = {
  'ort-wasm-direct': 'direct',
  'ort-wasm-2x2': 'winograd-2x2',
  'ort-wasm-4x4': 'winograd-4x4',
} as const;

interface Row extends BenchResult {
  readonly path: PathName;
  /** Node's two runs (before and after the browser paths), when path is node-onnx. */
  readonly node?: readonly [number, number];
  readonly notes?: readonly string[];
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '256,512' },
    'gpu-sizes': { type: 'string', default: '256' },
    paths: { type: 'string', default: PATHS.join(',') },
    repeats: { type: 'string', default: '3' },
    'gpu-repeats': { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = (values.sizes as string).split(',').map(Number);
const gpuSizes = (values['gpu-sizes'] as string).split(',').map(Number);
const paths = (values.paths as string).split(',') as PathName[];
for (const p of paths) if (!PATHS.includes(p)) throw new Error(`unknown path ${p}; known: ${PATHS.join(', ')}`);
const repeats = Number(values.repeats);
const gpuRepeats = Number(values['gpu-repeats']);
const say = (line: string) => console.error(line); // progress on stderr, the table and JSON on stdout

async function nodeOnnx(threads: number): Promise<BenchResult[]> {
  const factory = await createOnnxLossProgramFactory(syntheticWeights('conv5_1'), { threads });
  try {
    const out: BenchResult[] = [];
    for (const size of sizes) {
      out.push(
        await timeEvaluations((s, h) => factory.prepare(benchSpec(s), h), size, benchPoint(size), repeats, threads),
      );
    }
    return out;
  } finally {
    await factory.dispose();
  }
}

async function bundlePages(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impasto-bench-browser-'));
  await build({
    entryPoints: { page: path.join(here, 'bench-page.ts'), webgpu: path.join(here, 'bench-ort-webgpu-page.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: dir,
    logLevel: 'error',
  });
  for (const name of ['page', 'webgpu']) {
    writeFileSync(path.join(dir, `${name}.html`), `<!doctype html><script type="module" src="${name}.js"></script>`);
  }
  return dir;
}

/** One path in a browser of its own; the console lines a path reports (ort-webgpu: nodes placed on the CPU). */
async function browserPath(url: string, name: Exclude<PathName, 'node-onnx'>): Promise<Row[]> {
  const gpu = name === 'tfjs-webgl' || name === 'tfjs-webgpu' || name === 'ort-webgpu';
  const browser = await launchChromium(name === 'tfjs-webgpu' || name === 'ort-webgpu' ? 'webgpu' : 'webgl');
  const notes = new Set<string>();
  try {
    const page = await browser.context.newPage();
    page.on('console', (m) => {
      const text = m.text();
      if (/Candidate for fallback CPU execution|placed on \[CPUExecutionProvider\]/.test(text)) {
        notes.add(text.replace(/^.*\] /, '').slice(0, 600));
      }
    });
    const common = { sizes: gpu ? gpuSizes : sizes, repeats: gpu ? gpuRepeats : repeats, ortUrl: `${url}/ort/` };
    let results: BenchResult[];
    if (name === 'ort-webgpu') {
      await page.goto(`${url}/webgpu.html`);
      await page.waitForFunction(() => typeof window.benchOrtWebgpu === 'function');
      results = await page.evaluate((o) => window.benchOrtWebgpu(o), common);
    } else {
      await page.goto(`${url}/page.html`);
      await page.waitForFunction(() => typeof window.benchPath === 'function');
      const pagePath: PagePath = name.startsWith('ort-wasm') ? 'ort-wasm' : (name as PagePath);
      const threads = name === 'ort-wasm-1t' ? { threads: 1 } : {};
      const conv = CONV_VARIANTS[name as keyof typeof CONV_VARIANTS];
      results = await page.evaluate((o) => window.benchPath(o), {
        ...common,
        ...threads,
        ...(conv ? { conv } : {}),
        path: pagePath,
        tfWasmUrl: `${url}/tfjs-wasm/`,
      });
    }
    return results.map((r) => ({ ...r, path: name, ...(notes.size ? { notes: [...notes] } : {}) }));
  } finally {
    await browser.close();
  }
}

function printTable(rows: Row[]): void {
  const node = (size: number) => rows.find((r) => r.path === 'node-onnx' && r.size === size)?.msPerEvaluation;
  console.log(
    '\npath             threads  size   ms/evaluation  × Node ONNX  tiles  wasm heap  first (build + 1 eval)',
  );
  for (const r of rows) {
    const base = node(r.size);
    const ratio = base && r.path !== 'node-onnx' ? `${(r.msPerEvaluation / base).toFixed(1)}×` : '';
    const extra = r.node ? `  (Node before ${r.node[0].toFixed(0)} ms, after ${r.node[1].toFixed(0)} ms)` : '';
    const heap = r.wasmHeapMiB === undefined ? '-' : `${r.wasmHeapMiB} MiB`;
    console.log(
      `${r.path.padEnd(16)} ${String(r.threads ?? '-').padStart(7)} ${String(r.size).padStart(5)} ${r.msPerEvaluation.toFixed(0).padStart(15)} ${ratio.padStart(12)} ${String(r.tiles).padStart(6)} ${heap.padStart(10)}  ${(r.firstMs / 1000).toFixed(1)} s${extra}`,
    );
  }
  for (const r of rows.filter((r) => r.notes && r.size === sizes[0])) {
    console.log(`\n${r.path} said (first ${r.notes?.length} distinct lines):\n  ${r.notes?.slice(0, 12).join('\n  ')}`);
  }
}

async function main() {
  const skip = chromiumSkipReason();
  if (skip) throw new Error(`bench:browser needs Chromium: ${skip}`);
  const nodeThreads = availableParallelism();
  const wantNode = paths.includes('node-onnx') && (await onnxAvailable());
  const rows: Row[] = [];
  const before = wantNode ? await nodeOnnx(nodeThreads) : [];
  if (wantNode)
    say(`node-onnx (${nodeThreads} threads): ${before.map((r) => `${r.size} px ${r.msPerEvaluation.toFixed(0)} ms`)}`);
  const dir = await bundlePages();
  const tfWasm = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  const server = await serveStatic({ '/ort/': path.dirname(engineWasmFiles().wasm), '/tfjs-wasm/': tfWasm, '/': dir });
  const browserRows: Row[] = [];
  try {
    for (const name of paths) {
      if (name === 'node-onnx') continue;
      const got = await browserPath(server.url, name);
      say(`${name}: ${got.map((r) => `${r.size} px ${r.msPerEvaluation.toFixed(0)} ms`).join(', ')}`);
      browserRows.push(...got);
    }
  } finally {
    await server.close();
  }
  if (wantNode) {
    const after = await nodeOnnx(nodeThreads);
    for (const [i, b] of before.entries()) {
      const a = after[i] as BenchResult;
      const times = [...b.times, ...a.times].sort((x, y) => x - y);
      const median = times[Math.floor(times.length / 2)] as number;
      rows.push({
        ...b,
        path: 'node-onnx',
        times,
        msPerEvaluation: median,
        node: [b.msPerEvaluation, a.msPerEvaluation],
      });
    }
  }
  rows.push(...browserRows);
  printTable(rows);
  if (values.json) {
    for (const r of rows) {
      const line = {
        path: r.path === 'ort-wasm-1t' ? 'ort-wasm' : r.path,
        size: r.size,
        msPerEvaluation: Math.round(r.msPerEvaluation),
        threads: r.threads,
        ...(r.wasmHeapMiB === undefined ? {} : { wasmHeapMiB: r.wasmHeapMiB }),
      };
      console.log(JSON.stringify(r.path === 'ort-wasm' ? { ...line, default: true } : line));
    }
  }
}

await main();
