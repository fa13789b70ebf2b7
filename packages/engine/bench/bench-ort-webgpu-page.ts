// The page `pnpm bench:browser` opens for onnxruntime-web's WebGPU execution provider on the same graphs (measured
// only: no host bundles it). ONNX Runtime logs, at 'verbose', which nodes it placed on the CPU instead; the runner
// collects those console lines.

import { syntheticWeights } from '@impasto/weights/testing';
import * as ortWebgpu from 'onnxruntime-web/webgpu';
import { benchPoint, benchSpec } from '../src/bench-spec.js';
import { createOrtLossProgramFactory } from '../src/onnx/onnx-loss-program.js';
import type { OrtModule } from '../src/onnx/ort-runtime.js';
import { ORT_WASM_MEMORY } from '../src/onnx/ort-web.js';
import { type BenchResult, timeEvaluations } from './bench-timing.js';

declare global {
  interface Window {
    benchOrtWebgpu(o: { sizes: number[]; repeats: number; ortUrl: string }): Promise<BenchResult[]>;
  }
}

window.benchOrtWebgpu = async ({ sizes, repeats, ortUrl }) => {
  const { env } = ortWebgpu;
  env.wasm.wasmPaths = ortUrl;
  env.wasm.numThreads = 1;
  env.logLevel = 'verbose';
  const factory = createOrtLossProgramFactory(ortWebgpu as unknown as OrtModule, syntheticWeights('conv5_1'), {
    label: 'ort-webgpu',
    memory: { ...ORT_WASM_MEMORY, defaultBytes: 8 * 1024 ** 3 }, // untiled: what the provider does with the graph
    tileArena: false,
    conv: 'direct',
    tileConv: 'direct',
    sessionOptions: { executionProviders: ['webgpu'], graphOptimizationLevel: 'all', logSeverityLevel: 0 },
  });
  const results: BenchResult[] = [];
  for (const size of sizes) {
    results.push(
      await timeEvaluations((s, hooks) => factory.prepare(benchSpec(s), hooks), size, benchPoint(size), repeats, null),
    );
  }
  await factory.dispose();
  return results;
};
