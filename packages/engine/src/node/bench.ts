/**
 * `pnpm bench`: median time of one optimisation step (forward + backward through VGG19 to conv5_1 with synthetic
 * weights, plus the L-BFGS arithmetic) per compute path and size, and peak memory. Prints a table, then JSON.
 * Figures, not assertions: compare ratios within one run; this machine is noisy.
 */
import { parseArgs } from 'node:util';
import type { LossProgram, LossSpec } from '../loss-program.js';
import type { ConvGradient } from '../network/conv.js';
import { syntheticWeights } from '../network/synthetic-weights.js';
import { createVgg19 } from '../network/vgg19.js';
import { createLbfgs } from '../optim/index.js';
import { LAYER_PRESETS } from '../options.js';
import { gaussianNoise } from '../random.js';
import { tf } from '../tf.js';
import { createTfLossProgram } from '../tf-loss-program.js';
import { configureTfjsForNode } from './engine-node.js';

interface PathSpec {
  readonly name: string;
  readonly describe: string;
  create(spec: LossSpec): Promise<{ program: LossProgram; release(): void }>;
}

const weights = syntheticWeights('conv5_1');

function tfPath(backend: string, convGradient: ConvGradient, describe: string): PathSpec {
  return {
    name: `tfjs-${backend}${convGradient === 'native' ? '-stock' : ''}`,
    describe,
    async create(spec) {
      await tf.setBackend(backend);
      const net = createVgg19(weights, { convGradient });
      const program = createTfLossProgram(net, spec);
      return { program, release: () => (program.dispose(), net.dispose()) };
    },
  };
}

const PATHS: Record<string, PathSpec> = {
  wasm: tfPath('wasm', 'flipped', 'tfjs wasm, conv input-gradient as a flipped-filter convolution (Impasto default)'),
  'wasm-stock': tfPath('wasm', 'native', "tfjs wasm, tfjs's own Conv2DBackpropInput"),
  cpu: tfPath('cpu', 'native', 'tfjs cpu (plain JavaScript)'),
  'cpu-flipped': tfPath('cpu', 'flipped', 'tfjs cpu with the flipped-filter gradient'),
};

function spec(size: number): LossSpec {
  const image = (seed: number) => ({ width: size, height: size, data: gaussianNoise(size * size * 3, seed, 60) });
  return {
    width: size,
    height: size,
    content: image(1),
    styles: [{ image: image(2), weight: 1 }],
    contentLayers: LAYER_PRESETS.paper.contentLayers,
    styleLayers: LAYER_PRESETS.paper.styleLayers,
    styleLayerWeights: [0.2, 0.2, 0.2, 0.2, 0.2],
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-3,
    pooling: 'avg',
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function measure(path: PathSpec, size: number, repeats: number) {
  const s = spec(size);
  const { program, release } = await path.create(s);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    const x = gaussianNoise(size * size * 3, 3, 20);
    const optimizer = createLbfgs({ history: 10, firstStepMaxMove: 8 });
    let evaluations = 0;
    const objective = async (p: Float32Array) => {
      evaluations++;
      const { terms, gradient } = await program.evaluate(p);
      return { loss: terms.total, gradient };
    };
    await optimizer.step(x, objective); // warm-up: kernels compiled, first line search
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      evaluations = 0;
      const t0 = performance.now();
      await optimizer.step(x, objective);
      times.push((performance.now() - t0) / Math.max(1, evaluations));
    }
    return { msPerStep: median(times), peakRssMiB: Math.round(peakRss / 2 ** 20) };
  } finally {
    clearInterval(sampler);
    release();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '128,256' },
      paths: {
        type: 'string',
        default: Object.keys(PATHS)
          .filter((p) => p !== 'cpu-flipped')
          .join(','),
      },
      repeats: { type: 'string', default: '3' },
    },
  });
  configureTfjsForNode();
  const sizes = values.sizes.split(',').map(Number);
  const repeats = Number(values.repeats);
  const rows: { path: string; size: number; msPerStep: number; peakRssMiB: number }[] = [];
  console.log(`Impasto bench: one L-BFGS step (1 evaluation = forward + backward to conv5_1), median of ${repeats}`);
  for (const name of values.paths.split(',')) {
    const path = PATHS[name];
    if (!path) throw new Error(`unknown path ${name}; known: ${Object.keys(PATHS).join(', ')}`);
    console.log(`\n${name}: ${path.describe}`);
    for (const size of sizes) {
      const r = await measure(path, size, repeats);
      rows.push({ path: name, size, ...r });
      console.log(
        `  ${String(size).padStart(4)} px  ${r.msPerStep.toFixed(0).padStart(7)} ms/step  peak RSS ${r.peakRssMiB} MiB`,
      );
    }
  }
  const base = (size: number, p: string) => rows.find((r) => r.size === size && r.path === p)?.msPerStep;
  console.log('\nspeed-up vs tfjs wasm stock, same run:');
  for (const size of sizes) {
    const stock = base(size, 'wasm-stock');
    if (!stock) continue;
    for (const r of rows.filter((x) => x.size === size && x.path !== 'wasm-stock')) {
      console.log(`  ${String(size).padStart(4)} px  ${r.path.padEnd(14)} ${(stock / r.msPerStep).toFixed(2)}x`);
    }
  }
  console.log(`\n${JSON.stringify({ bench: 'step', repeats, rows })}`);
}

await main();
