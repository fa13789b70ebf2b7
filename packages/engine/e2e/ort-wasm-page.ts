// A bare page for the ort-wasm browser test: onnxruntime-web in Chromium on the ONNX path's graphs.
// window.ortEvaluations(o) -> each case's evaluation (the test compares them with onnxruntime-node's), a tiled one
// beside its untiled one, and the sessions left alive; window.ortCancel(o) -> how a cancelled run ended.
import { isCancellation } from '@impasto/errors';
import { syntheticWeights } from '@impasto/weights/testing';
import { engineFromPlan } from '../src/browser/browser-engine.js';
import type { Evaluation, LossSpec } from '../src/compute/loss-program.js';
import { createOrtWasmLossProgramFactory, type OrtWasmRuntime, startOrtWasm } from '../src/onnx/ort-web.js';
import { countingRuntime } from '../src/testing/onnx-counting-runtime.js';
import { ORT_CASES, ORT_TILED_CASE } from '../src/testing/onnx-web-cases.js';
import { evaluationPoint } from '../src/testing/tiling-equivalence-cases.js';
import { planTiles, tileCount } from '../src/tiling/plan.js';

export interface WireEvaluation {
  readonly terms: Evaluation['terms'];
  readonly gradient: number[];
}

declare global {
  interface Window {
    ortEvaluations(o: { wasmUrl: string; threads?: number; cases: readonly string[] }): Promise<{
      readonly threads: number;
      readonly cases: Record<string, WireEvaluation>;
      readonly tiled: { readonly tiles: number; readonly untiled: WireEvaluation; readonly tiled: WireEvaluation };
      readonly created: number;
      readonly liveAfterDispose: number;
    }>;
    ortCancel(o: { wasmUrl: string }): Promise<{
      readonly cancelled: boolean;
      readonly iterationsSeen: number[];
      readonly again: number;
      readonly liveBeforeDispose: number;
      readonly liveAfterDispose: number;
    }>;
  }
}

const wire = (e: Evaluation): WireEvaluation => ({ terms: e.terms, gradient: Array.from(e.gradient) });
const settle = () => new Promise((r) => setTimeout(r, 50));

/** onnxruntime-web started here, its sessions counted. */
async function started(wasmUrl: string, threads?: number) {
  const runtime = await startOrtWasm(wasmUrl, threads);
  const counting = countingRuntime(runtime.ort);
  return { runtime: { ...runtime, ort: counting.ort } satisfies OrtWasmRuntime, counting };
}

window.ortEvaluations = async ({ wasmUrl, threads, cases: names }) => {
  const { runtime, counting } = await started(wasmUrl, threads);
  const factory = createOrtWasmLossProgramFactory(runtime, syntheticWeights('conv5_1', 3));
  const once = async (spec: LossSpec) => {
    const program = await factory.prepare(spec);
    try {
      return await program.evaluate(evaluationPoint(spec));
    } finally {
      program.dispose();
    }
  };
  const cases: Record<string, WireEvaluation> = {};
  for (const name of names) cases[name] = wire(await once((ORT_CASES[name] as () => LossSpec)()));
  const spec = ORT_TILED_CASE.spec();
  const untiled = await once(spec);
  const tiled = await once({ ...spec, tileSize: ORT_TILED_CASE.side });
  await factory.dispose();
  await settle();
  const layers = [...spec.contentLayers, ...spec.styleLayers];
  return {
    threads: runtime.threads.count,
    cases,
    tiled: {
      tiles: tileCount(planTiles(spec.width, spec.height, layers, ORT_TILED_CASE.side)),
      untiled: wire(untiled),
      tiled: wire(tiled),
    },
    created: counting.created(),
    liveAfterDispose: counting.live(),
  };
};

window.ortCancel = async ({ wasmUrl }) => {
  const { runtime, counting } = await started(wasmUrl);
  const engine = await engineFromPlan({ kind: 'ort-wasm', runtime, unavailable: [] }, syntheticWeights('conv2_1'));
  const image = (w: number, h: number, v: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 4).fill(v) });
  const request = (iterations: number) => ({
    content: image(24, 16, 90),
    styles: [image(16, 16, 200)],
    options: { size: 24, iterations, contentLayers: ['conv2_1'], styleLayers: ['conv1_1', 'conv2_1'] } as const,
  });
  const controller = new AbortController();
  const iterationsSeen: number[] = [];
  const outcome = await engine
    .stylize(request(500), {
      signal: controller.signal,
      onProgress: (p) => {
        iterationsSeen.push(p.iteration);
        if (p.iteration === 2) controller.abort();
      },
    })
    .catch((e: unknown) => e);
  const again = (await engine.stylize(request(1))).iterations;
  const liveBeforeDispose = counting.live();
  engine.dispose();
  await settle();
  return {
    cancelled: isCancellation(outcome),
    iterationsSeen,
    again,
    liveBeforeDispose,
    liveAfterDispose: counting.live(),
  };
};
