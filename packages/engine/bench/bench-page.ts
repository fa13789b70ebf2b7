// The page `pnpm bench:browser` opens: times one compute path's loss evaluations in Chromium.
// window.benchPath(o) -> ms per evaluation at each size (the engine's own choices: budget, tiling, threads), and for
// the WebAssembly paths the heap's peak so far.
import '../src/backends/browser.js';
import '../src/backends/wasm.js'; // tfjs's wasm backend: not in the hosts' bundles, measured here beside ort-wasm
import { syntheticWeights } from '@impasto/weights/testing';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { benchPoint, benchSpec } from '../src/bench-spec.js';
import { trackWasmMemories, wasmHeapBytes } from '../src/browser/wasm-memory.js';
import type { LossProgram, LossProgramHooks } from '../src/compute/loss-program.js';
import { createVgg19 } from '../src/network/vgg19.js';
import { createOrtWasmLossProgramFactory, ortWasmThreads, startOrtWasm } from '../src/onnx/ort-web.js';
import type { ConvAlgorithm } from '../src/onnx/vgg-graph.js';
import { selectBackend } from '../src/tfjs/backend.js';
import { createTfProgram } from '../src/tfjs/tf-loss-program.js';
import { announceWasmLocation } from '../src/wasm-location.js';
import { type BenchResult, timeEvaluations } from './bench-timing.js';

export type PagePath = 'ort-wasm' | 'tfjs-wasm' | 'tfjs-webgl' | 'tfjs-webgpu';

declare global {
  interface Window {
    benchPath(o: {
      path: PagePath;
      sizes: number[];
      repeats: number;
      threads?: number;
      /** ort-wasm's conv algorithm, when not the engine's default. */
      conv?: ConvAlgorithm;
      ortUrl: string;
      tfWasmUrl: string;
    }): Promise<BenchResult[]>;
  }
}

type Maker = (size: number, hooks: LossProgramHooks) => Promise<LossProgram>;

// Before any runtime starts: a wasm heap never shrinks, so its size after a size's evaluations is the peak so far.
trackWasmMemories(() => {});

/** A tfjs backend as the engine runs it (tfjs-wasm with its own thread count, as the hosts ran it before). */
async function tfjsMaker(backend: 'wasm' | 'webgl' | 'webgpu'): Promise<{ make: Maker; threads: number | null }> {
  const choice = await selectBackend(backend);
  const net = createVgg19(syntheticWeights('conv5_1'), { convGradient: choice.convGradient });
  const make: Maker = async (size, hooks) => createTfProgram(net, benchSpec(size), backend, hooks);
  return { make, threads: backend === 'wasm' ? getThreadsCount() : null };
}

window.benchPath = async ({ path, sizes, repeats, threads, conv, ortUrl, tfWasmUrl }) => {
  let maker: { make: Maker; threads: number | null };
  if (path === 'ort-wasm') {
    // The engine worker's choice (this page runs the runtime on its main thread, where the engine would take one).
    const inWorker = ortWasmThreads(ortUrl, { crossOriginIsolated, navigator }).count;
    const runtime = await startOrtWasm(ortUrl, threads ?? inWorker);
    const factory = createOrtWasmLossProgramFactory(runtime, syntheticWeights('conv5_1'), conv ? { conv } : {});
    maker = { make: (size, hooks) => factory.prepare(benchSpec(size), hooks), threads: runtime.threads.count };
  } else {
    announceWasmLocation(tfWasmUrl);
    maker = await tfjsMaker(path.slice('tfjs-'.length) as 'wasm' | 'webgl' | 'webgpu');
  }
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const result = await timeEvaluations(maker.make, size, benchPoint(size), repeats, maker.threads);
    const heap = wasmHeapBytes();
    results.push(heap > 0 ? { ...result, wasmHeapMiB: Math.round(heap / 2 ** 20) } : result);
  }
  return results;
};
