/**
 * `pnpm bench`: median time of one optimisation step (forward + backward through VGG19 to conv5_1 with synthetic
 * weights, plus the L-BFGS arithmetic) per compute path and size, and each path's peak memory. Every path runs in a
 * child process of its own, so its peak RSS is its own. Prints a table, then one JSON line.
 * Figures, not assertions: compare ratios within one run; this machine is noisy.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ConvGradient, LossProgram, LossSpec } from '@impasto/engine/internals';
import {
  benchPoint,
  benchSpec,
  computeThreads,
  configureTfjsForNode,
  createLbfgs,
  createOnnxLossProgramFactory,
  createTfLossProgram,
  createVgg19,
  onnxAvailable,
  tf,
} from '@impasto/engine/internals';
import { isUrl, resolveWeightsLocation, weightsPresent } from '@impasto/weights/node';
import { syntheticWeights } from '@impasto/weights/testing';
import { median } from './median.js';

interface PathSpec {
  readonly describe: string;
  /** Sizes this path runs by default (the slow stock path skips 512 px). */
  readonly sizes: readonly number[];
  available(): Promise<boolean>;
  create(spec: LossSpec): Promise<{ program: LossProgram; release(): Promise<void> | void }>;
}

const weights = syntheticWeights('conv5_1');

function tfPath(backend: string, convGradient: ConvGradient, describe: string, sizes: number[]): PathSpec {
  return {
    describe,
    sizes,
    available: async () => true,
    async create(spec) {
      configureTfjsForNode();
      await tf.setBackend(backend);
      const net = createVgg19(weights, { convGradient });
      const program = createTfLossProgram(net, spec);
      return {
        program,
        release: () => {
          program.dispose();
          net.dispose();
        },
      };
    },
  };
}

/** ONNX Runtime with `threads` intra-op threads (all cores by default; one, for the ratio threads buy). */
function onnxPath(threads: number, sizes: number[]): PathSpec {
  return {
    describe: `ONNX Runtime (onnxruntime-node, CPU, ${threads} thread${threads === 1 ? '' : 's'}), the loss and its gradient as one hand-derived graph`,
    sizes,
    available: onnxAvailable,
    async create(spec) {
      const factory = await createOnnxLossProgramFactory(weights, { threads });
      const program = await factory.prepare(spec);
      return {
        program,
        release: async () => {
          program.dispose();
          await factory.dispose();
        },
      };
    },
  };
}

const PATHS: Record<string, PathSpec> = {
  onnx: onnxPath(computeThreads(), [128, 256, 512]),
  'onnx-1t': onnxPath(1, [256, 512]),
  wasm: tfPath('wasm', 'flipped', 'tfjs wasm, conv input-gradient as a flipped-filter convolution', [128, 256]),
  'wasm-stock': tfPath('wasm', 'native', "tfjs wasm, tfjs's own Conv2DBackpropInput", [128, 256]),
  cpu: tfPath('cpu', 'native', 'tfjs cpu (plain JavaScript)', [128]),
};

interface Row {
  path: string;
  size: number;
  msPerStep: number;
  /** Process CPU time over wall time during the timed steps: how many cores the path kept busy. */
  cores: number;
  peakRssMiB: number;
}

/** In the child: time `repeats` L-BFGS steps per size on one path. */
async function measurePath(name: string, sizes: readonly number[], repeats: number): Promise<Row[]> {
  const path = PATHS[name] as PathSpec;
  const rows: Row[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  try {
    for (const size of sizes) {
      const { program, release } = await path.create(benchSpec(size));
      try {
        const x = benchPoint(size);
        const optimizer = createLbfgs({ history: 10, firstStepMaxMove: 8 });
        let evaluations = 0;
        const objective = async (p: Float32Array) => {
          evaluations++;
          const { terms, gradient } = await program.evaluate(p);
          return { loss: terms.total, gradient };
        };
        await optimizer.step(x, objective); // warm-up: kernels compiled, the first line search
        const times: number[] = [];
        const cpuBefore = process.cpuUsage();
        const wallBefore = performance.now();
        for (let i = 0; i < repeats; i++) {
          evaluations = 0;
          const t0 = performance.now();
          await optimizer.step(x, objective);
          times.push((performance.now() - t0) / Math.max(1, evaluations));
        }
        const cpu = process.cpuUsage(cpuBefore);
        const cores = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
        rows.push({
          path: name,
          size,
          msPerStep: median(times),
          cores: Math.round(cores * 100) / 100,
          peakRssMiB: Math.round(peakRss / 2 ** 20),
        });
      } finally {
        await release();
      }
    }
  } finally {
    clearInterval(sampler);
  }
  return rows;
}

function runChild(name: string, sizes: readonly number[], repeats: number): Row[] {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--child', name, '--sizes', sizes.join(','), '--repeats', String(repeats)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('[')) throw new Error(`bench of ${name} failed (exit ${child.status})`);
  return JSON.parse(line) as Row[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      paths: { type: 'string', default: Object.keys(PATHS).join(',') },
      sizes: { type: 'string' },
      repeats: { type: 'string', default: '3' },
      child: { type: 'string' },
      'skip-c2f': { type: 'boolean', default: false },
    },
  });
  const repeats = Number(values.repeats);
  const sizesFor = (p: PathSpec) => (values.sizes ? values.sizes.split(',').map(Number) : p.sizes);
  if (values.child) {
    const path = PATHS[values.child] as PathSpec;
    process.stdout.write(`${JSON.stringify(await measurePath(values.child, sizesFor(path), repeats))}\n`);
    return;
  }
  console.log(
    `Impasto bench: one L-BFGS step (forward + backward to conv5_1, synthetic weights), median of ${repeats}`,
  );
  const rows: Row[] = [];
  for (const name of values.paths.split(',')) {
    const path = PATHS[name];
    if (!path) throw new Error(`unknown path ${name}; known: ${Object.keys(PATHS).join(', ')}`);
    console.log(`\n${name}: ${path.describe}`);
    if (!(await path.available())) {
      console.log('  not available here (onnxruntime-node does not load)');
      continue;
    }
    for (const r of runChild(name, sizesFor(path), repeats)) {
      rows.push(r);
      console.log(
        `  ${String(r.size).padStart(4)} px  ${r.msPerStep.toFixed(0).padStart(7)} ms/step  ${r.cores.toFixed(2)} cores (CPU time / wall time)  peak RSS ${r.peakRssMiB} MiB`,
      );
    }
  }
  const timeOf = (size: number, p: string) => rows.find((r) => r.size === size && r.path === p)?.msPerStep;
  console.log('\nSpeed-ups measured in this run (time of the slower path / time of the faster):');
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    const stock = timeOf(size, 'wasm-stock');
    const wasm = timeOf(size, 'wasm');
    const onnx = timeOf(size, 'onnx');
    const oneThread = timeOf(size, 'onnx-1t');
    const parts: string[] = [];
    if (oneThread && onnx) parts.push(`onnx all cores vs one thread ${(oneThread / onnx).toFixed(2)}x`);
    if (stock && wasm) parts.push(`wasm vs wasm-stock ${(stock / wasm).toFixed(2)}x`);
    if (wasm && onnx) parts.push(`onnx vs wasm ${(wasm / onnx).toFixed(2)}x`);
    if (stock && onnx) parts.push(`onnx vs wasm-stock ${(stock / onnx).toFixed(2)}x`);
    if (parts.length) console.log(`  ${String(size).padStart(4)} px  ${parts.join('   ')}`);
  }
  if (!values['skip-c2f']) coarseToFineComparison();
  console.log(`\n${JSON.stringify({ bench: 'step', repeats, rows })}`);
}

/** A short bench-converge.ts comparison (256 px, 20 s per run) when real weights are at hand; it needs them. */
function coarseToFineComparison(): void {
  const location = process.env.IMPASTO_TEST_WEIGHTS ?? resolveWeightsLocation(undefined);
  console.log('\nCoarse-to-fine vs single-scale at equal wall time (real weights, pnpm bench:converge for more):');
  if (isUrl(location) || !weightsPresent(location)) {
    console.log(`  skipped: no VGG19 weights at ${location} (set IMPASTO_TEST_WEIGHTS or run pnpm models:fetch)`);
    return;
  }
  const script = fileURLToPath(new URL('./bench-converge.ts', import.meta.url));
  const args = ['--weights', location, '--sizes', '256', '--seconds', '20'];
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = child.stdout.trim().split('\n');
  for (const line of lines.slice(0, -1)) console.log(`  ${line}`); // the last line is its JSON
  if (child.status !== 0) console.log(`  failed (exit ${child.status})`);
}

await main();
