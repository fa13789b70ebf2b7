/**
 * Times one forward+backward (loss and image gradient) of the ONNX path on synthetic VGG19 weights to conv5_1 with
 * the paper's layers, and reports peak RSS. Run: pnpm tsx src/onnx/bench-onnx.ts [--sizes 128,256,512] [--runs 5]
 * [--opt all|extended|basic] [--threads N]
 */
import { parseArgs } from 'node:util';
import type { LossSpec } from '../loss-program.js';
import { syntheticWeights } from '../network/synthetic-weights.js';
import { gaussianNoise } from '../random.js';
import { createOnnxLossProgramFactory, type OnnxGraphOptimization } from './onnx-loss-program.js';

export interface OnnxBenchRow {
  readonly size: number;
  /** Session build (first time for the layout) plus the targets of one content and one style image. */
  readonly prepareMs: number;
  readonly medianMs: number;
  readonly minMs: number;
  /** Peak resident set size of the process so far, in MiB. */
  readonly peakRssMiB: number;
}

function specAt(size: number): LossSpec {
  const image = (seed: number) => ({ width: size, height: size, data: gaussianNoise(size * size * 3, seed, 40) });
  return {
    width: size,
    height: size,
    content: image(1),
    styles: [{ image: image(2), weight: 1 }],
    contentLayers: ['conv4_2'],
    styleLayers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
    styleLayerWeights: [0.2, 0.2, 0.2, 0.2, 0.2],
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-3,
    pooling: 'avg',
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Sizes in ascending order (peak RSS only grows, so each row's peak is its own size's). */
export async function benchOnnx(
  sizes: readonly number[],
  runs: number,
  options: { graphOptimization?: OnnxGraphOptimization; threads?: number } = {},
): Promise<OnnxBenchRow[]> {
  const factory = await createOnnxLossProgramFactory(syntheticWeights('conv5_1'), options);
  const rows: OnnxBenchRow[] = [];
  try {
    for (const size of sizes) {
      const spec = specAt(size);
      let t = performance.now();
      const program = await factory.prepare(spec);
      const prepareMs = performance.now() - t;
      const x = gaussianNoise(size * size * 3, 3, 20);
      await program.evaluate(x); // warm-up: first-run allocations
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        t = performance.now();
        await program.evaluate(x);
        times.push(performance.now() - t);
      }
      program.dispose();
      const peakRssMiB = process.resourceUsage().maxRSS / 1024;
      rows.push({ size, prepareMs, medianMs: median(times), minMs: Math.min(...times), peakRssMiB });
    }
  } finally {
    await factory.dispose();
  }
  return rows;
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '128,256,512' },
      runs: { type: 'string', default: '5' },
      opt: { type: 'string', default: 'all' },
      threads: { type: 'string' },
    },
  });
  const sizes = values.sizes
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const opt = values.opt as OnnxGraphOptimization;
  if (!['basic', 'extended', 'all'].includes(opt)) throw new Error(`--opt must be basic, extended or all (got ${opt})`);
  const threads = values.threads ? Number(values.threads) : undefined;
  console.log(`ONNX path, synthetic VGG19 to conv5_1, paper layers, graph optimisation '${opt}'`);
  const rows = await benchOnnx(sizes, Number(values.runs), { graphOptimization: opt, threads });
  console.log('size | prepare ms | median ms / step | min ms | peak RSS MiB');
  for (const r of rows) {
    console.log(
      `${r.size} | ${r.prepareMs.toFixed(0)} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.peakRssMiB.toFixed(0)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
