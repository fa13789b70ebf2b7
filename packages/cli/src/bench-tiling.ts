/**
 * `pnpm bench:tiling`: time of one loss evaluation (loss + gradient, ONNX Runtime, the shallow layers of the partial
 * weights, synthetic weights) and peak RSS, per image size, untiled and tiled, each in a child process of its own so
 * its peak is its own. Untiled runs only where it fits --untiled-max (default 8 GiB by the engine's estimate).
 * Figures, not assertions: compare ratios within one run; this machine is noisy.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ConvAlgorithm, LossSpec } from '@impasto/engine/internals';
import {
  CONV_ALGORITHMS,
  createOnnxLossProgramFactory,
  gaussianNoise,
  LAYER_PRESETS,
  onnxAvailable,
  planTiles,
  tileCount,
} from '@impasto/engine/internals';
import { computeThreads } from '@impasto/engine/node';
import { syntheticWeights } from '@impasto/weights/testing';

interface Row {
  readonly width: number;
  readonly height: number;
  readonly mode: string;
  readonly tiles: number;
  readonly msPerEvaluation: number;
  readonly peakRssMiB: number;
}

/** A 4:3 image of `size` px on its longest side. */
function spec(size: number, mode: string): LossSpec {
  const [width, height] = [size, Math.round((size * 3) / 4)];
  const image = (seed: number) => ({ width, height, data: gaussianNoise(width * height * 3, seed, 60) });
  const layers = LAYER_PRESETS.shallow;
  return {
    width,
    height,
    content: image(1),
    styles: [{ image: image(2), weight: 1 }],
    contentLayers: layers.contentLayers,
    styleLayers: layers.styleLayers,
    styleLayerWeights: layers.styleLayers.map(() => 1 / layers.styleLayers.length),
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-3,
    pooling: 'avg',
    // untiled: a budget nothing exceeds; auto: the engine's default budget; a number: tiles of that side.
    ...(mode === 'untiled' ? { maxMemory: 2 ** 50 } : mode === 'auto' ? {} : { tileSize: Number(mode) }),
  };
}

/** In the child: two evaluations (the first builds the sessions), the second timed. */
async function measure(size: number, mode: string, conv: ConvAlgorithm | undefined): Promise<Row> {
  const s = spec(size, mode);
  const options = { threads: computeThreads(), ...(conv ? { conv } : {}) };
  const factory = await createOnnxLossProgramFactory(syntheticWeights('conv3_2'), options);
  const program = await factory.prepare(s);
  const x = gaussianNoise(s.width * s.height * 3, 3, 20);
  await program.evaluate(x);
  const t0 = performance.now();
  await program.evaluate(x);
  const ms = performance.now() - t0;
  program.dispose();
  await factory.dispose();
  const layers = [...s.contentLayers, ...s.styleLayers];
  const side = mode === 'untiled' ? Math.max(s.width, s.height) : mode === 'auto' ? null : Number(mode);
  const tiles = side === null ? Number.NaN : tileCount(planTiles(s.width, s.height, layers, side));
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return { width: s.width, height: s.height, mode, tiles, msPerEvaluation: Math.round(ms), peakRssMiB };
}

function runChild(size: number, mode: string, conv: ConvAlgorithm | undefined): Row | null {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--child', `${size}:${mode}`, ...(conv ? ['--conv', conv] : [])],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    console.log(`  ${size} px ${mode}: failed (exit ${child.status ?? child.signal})`);
    return null;
  }
  return JSON.parse(line) as Row;
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '512,1024,2048,4096' },
      modes: { type: 'string', default: 'untiled,auto,512' },
      'untiled-max': { type: 'string', default: '2048' },
      child: { type: 'string' },
      // How 3x3 convs are computed (ConvAlgorithm); default the Node path's own (NODE_CONV).
      conv: { type: 'string' },
    },
  });
  const conv = values.conv as ConvAlgorithm | undefined;
  if (conv !== undefined && !CONV_ALGORITHMS.includes(conv)) {
    console.error(`--conv takes one of ${CONV_ALGORITHMS.join(', ')} (got "${conv}")`);
    process.exit(1);
  }
  if (values.child) {
    const [size, mode] = values.child.split(':') as [string, string];
    process.stdout.write(`${JSON.stringify(await measure(Number(size), mode, conv))}\n`);
    return;
  }
  if (!(await onnxAvailable())) {
    console.log('onnxruntime-node does not load here: nothing to measure');
    return;
  }
  console.log('Impasto tiling bench: one loss evaluation (ONNX Runtime, shallow layers, 4:3 images), 2nd of 2');
  console.log('modes: untiled | auto (the default memory budget decides) | N (tiles of N px a side)');
  const rows: Row[] = [];
  for (const size of values.sizes.split(',').map(Number)) {
    for (const mode of values.modes.split(',')) {
      if (mode === 'untiled' && size > Number(values['untiled-max'])) {
        console.log(`  ${String(size).padStart(4)} px  ${mode.padEnd(8)} skipped (above --untiled-max)`);
        continue;
      }
      const r = runChild(size, mode, conv);
      if (!r) continue;
      rows.push(r);
      const tiles = Number.isNaN(r.tiles) ? '' : `${r.tiles} tiles`;
      console.log(
        `  ${r.width}x${r.height}  ${mode.padEnd(8)} ${String(r.msPerEvaluation).padStart(8)} ms/evaluation  peak RSS ${r.peakRssMiB} MiB  ${tiles}`,
      );
    }
  }
  console.log('\nCost of tiling (time tiled / time untiled, same run):');
  for (const size of [...new Set(rows.map((r) => r.width))]) {
    const untiled = rows.find((r) => r.width === size && r.mode === 'untiled');
    for (const r of rows.filter((x) => x.width === size && x.mode !== 'untiled')) {
      if (untiled) console.log(`  ${size} px ${r.mode}: ${(r.msPerEvaluation / untiled.msPerEvaluation).toFixed(2)}x`);
    }
  }
  console.log(`\n${JSON.stringify({ bench: 'tiling', rows })}`);
}

await main();
