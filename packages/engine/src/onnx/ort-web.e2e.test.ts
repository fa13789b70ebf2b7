// onnxruntime-web in Debian Chromium, on the graphs it runs by default (Winograd convs), gives what onnxruntime-node
// gives on its direct ones (one builder, two runtimes): the same loss (1e-5 relative) and gradient (1e-4 relative L2)
// on synthetic weights, with one thread and with two (the page is cross-origin isolated); tiled equals untiled; a run
// cancels between evaluations; no session outlives a dispose.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumSkipReason, launchChromium, type StaticServer, serveStatic } from '@impasto/browser-testing';
import { syntheticWeights } from '@impasto/weights/testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineWasmFiles } from '../../build/engine-worker-bundle.js';
import type { WireEvaluation } from '../../e2e/ort-wasm-page.js';
import type { Evaluation } from '../compute/loss-program.js';
import { expectSameEvaluation } from '../testing/expect-same.js';
import { ORT_CASES } from '../testing/onnx-web-cases.js';
import { evaluationPoint } from '../testing/tiling-equivalence-cases.js';
import { createOnnxLossProgramFactory, onnxAvailable } from './ort-node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ORT_NODE = await onnxAvailable();
const skip = chromiumSkipReason() ?? (ORT_NODE ? undefined : 'onnxruntime-node does not load here');
if (skip) console.warn(`skipping the ort-wasm browser tests: ${skip}`);

const unwire = (e: WireEvaluation): Evaluation => ({ terms: e.terms, gradient: Float32Array.from(e.gradient) });

describe.skipIf(!!skip)('ort-wasm: onnxruntime-web in Chromium on the ONNX graphs', () => {
  let server: StaticServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const nodeResults = new Map<string, Evaluation>();

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-ort-wasm-'));
    await build({
      entryPoints: [path.join(here, '../../e2e/ort-wasm-page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: path.join(dir, 'page.js'),
      logLevel: 'error',
    });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="page.js"></script>');
    // Cross-origin isolated (serveStatic's default headers), so threads may run.
    server = await serveStatic({ '/ort/': path.dirname(engineWasmFiles().wasm), '/': dir });
    browser = await launchChromium('webgl');
    const factory = await createOnnxLossProgramFactory(syntheticWeights('conv5_1', 3));
    try {
      for (const [name, spec] of Object.entries(ORT_CASES)) {
        const program = await factory.prepare(spec());
        nodeResults.set(name, await program.evaluate(evaluationPoint(spec())));
        program.dispose();
      }
    } finally {
      await factory.dispose();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage() {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => typeof window.ortEvaluations === 'function');
    return page;
  }

  // Two threads split the same kernels' work: one case shows it (each case builds sessions, seconds apiece here).
  it.each([
    [1, Object.keys(ORT_CASES)],
    [2, Object.keys(ORT_CASES).slice(0, 1)],
  ])(
    'with %i thread(s): the loss and gradient of onnxruntime-node; tiled equals untiled; no session left',
    async (threads, cases) => {
      const page = await openPage();
      try {
        const r = await page.evaluate((o) => window.ortEvaluations(o), {
          wasmUrl: `${server.url}/ort/`,
          threads,
          cases,
        });
        expect(r.threads).toBe(threads);
        expect(Object.keys(r.cases)).toEqual(cases);
        for (const name of cases) {
          expectSameEvaluation(unwire(r.cases[name] as WireEvaluation), nodeResults.get(name) as Evaluation);
        }
        expect(r.tiled.tiles).toBeGreaterThan(1);
        expectSameEvaluation(unwire(r.tiled.tiled), unwire(r.tiled.untiled));
        expect(r.created).toBeGreaterThan(cases.length);
        expect(r.liveAfterDispose).toBe(0);
      } finally {
        await page.close();
      }
    },
    300_000,
  );

  it('a run cancels between evaluations, the engine runs again, and disposing it releases its sessions', async () => {
    const page = await openPage();
    try {
      const r = await page.evaluate((o) => window.ortCancel(o), { wasmUrl: `${server.url}/ort/` });
      expect(r.cancelled).toBe(true);
      expect(r.iterationsSeen).toEqual([1, 2]);
      expect(r.again).toBe(1);
      expect(r.liveBeforeDispose).toBeGreaterThan(0);
      expect(r.liveAfterDispose).toBe(0);
    } finally {
      await page.close();
    }
  }, 120_000);
});
