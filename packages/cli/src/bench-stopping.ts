/**
 * `pnpm bench:stopping`: how the stopping rule's threshold was chosen. One long single-scale run per pair (the
 * stopping rule off), the picture kept after every iteration; then, for each candidate threshold, the iteration the
 * rule would have stopped at (s), and how far the picture still moves by 2s: the mean absolute difference of the
 * 0–255 RGB values between the pictures at s and at 2s, and the loss at 2s relative to s. Writes the pictures at s
 * and 2s of one threshold side by side (--sheet). Figures, not assertions.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  createNodeEngine,
  LAYER_PRESETS,
  loadWeights,
  type RgbaImage,
  STOP_WINDOW,
  type StylizeOptions,
  stoppedFalling,
} from '@impasto/engine/internals';
import { resolveWeightsLocation } from '@impasto/weights/node';
import { readImage } from './image-io.js';
import { writeSheet } from './sheet.js';

const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: 'tubingen:starry_night,golden_gate:the_scream,shipwreck:woman-with-hat-matisse' },
    images: { type: 'string', default: process.env.IMPASTO_TEST_IMAGES ?? '' },
    size: { type: 'string', default: '512' },
    iterations: { type: 'string', default: '300' },
    thresholds: { type: 'string', default: '0.001,0.002,0.005,0.01,0.02,0.05' },
    sheet: { type: 'string', default: 'stopping-sheet.jpg' },
    'sheet-threshold': { type: 'string', default: '0.01' },
    weights: { type: 'string' },
    preset: { type: 'string', default: 'shallow' },
    /**
     * Coarse stages before the studied one, SIDE:ITERATIONS each (e.g. 512:100): the curve and pictures are then
     * those of the last stage, which starts from their result upsampled, as in a coarse-to-fine run.
     */
    coarse: { type: 'string', default: '' },
    /** Print the studied stage's curve: loss, its fall over the window, and the picture's change over it. */
    curve: { type: 'boolean', default: false },
  },
});

/** Mean |a − b| over the RGB values of two RGBA images of one size (0–255 units). */
export function meanAbsoluteDifference(a: RgbaImage, b: RgbaImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += Math.abs((a.data[i + c] as number) - (b.data[i + c] as number));
  }
  return sum / ((a.data.length / 4) * 3);
}

/** Block averages 128 across the longest side: the picture as seen at 128 px, whatever its size. */
const VIEW_SIDE = 128;

/**
 * The same on block averages (VIEW_SIDE across): what is left once texture moved by a few pixels, i.e. changes of
 * colour and structure a viewer sees at a glance, at the same scale for every size.
 */
export function coarseDifference(a: RgbaImage, b: RgbaImage): number {
  const block = Math.max(1, Math.round(Math.max(a.width, a.height) / VIEW_SIDE));
  const w = Math.floor(a.width / block);
  const h = Math.floor(a.height / block);
  let sum = 0;
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < w; bx++) {
      for (let c = 0; c < 3; c++) {
        let d = 0;
        for (let y = by * block; y < (by + 1) * block; y++) {
          for (let x = bx * block; x < (bx + 1) * block; x++) {
            const i = (y * a.width + x) * 4 + c;
            d += (a.data[i] as number) - (b.data[i] as number);
          }
        }
        sum += Math.abs(d) / (block * block);
      }
    }
  }
  return sum / (w * h * 3);
}

/** The iteration (1-based) at which the engine's stopping rule would end a stage with this curve. */
function stopIteration(losses: readonly number[], tolerance: number): number | null {
  for (let n = 1; n <= losses.length; n++) if (stoppedFalling(losses.slice(0, n), tolerance)) return n;
  return null;
}

async function main() {
  const dir = args.images;
  if (!dir || !existsSync(dir)) throw new Error('give --images DIR or set IMPASTO_TEST_IMAGES (the test images)');
  const location = args.weights ?? process.env.IMPASTO_TEST_WEIGHTS ?? resolveWeightsLocation(undefined);
  const engine = await createNodeEngine({ weights: await loadWeights(location) });
  const size = Number(args.size);
  const iterations = Number(args.iterations);
  const thresholds = args.thresholds.split(',').map(Number);
  const sheetThreshold = Number(args['sheet-threshold']);
  const preset = LAYER_PRESETS[args.preset as keyof typeof LAYER_PRESETS];
  const cells: { image: RgbaImage; label: string }[] = [];
  const how = args.coarse ? `the last stage after ${args.coarse} (side:iterations)` : 'single-scale';
  console.log(
    `stopping rule: loss range over the last ${STOP_WINDOW} iterations < threshold × loss; ${size} px, ${how}, ${iterations} iterations, ${args.preset} layers, default weights`,
  );
  console.log(
    `pair | threshold | stops at s | loss at s | loss at 2s / s | mean |Δ| s→2s (0–255) | same, seen at ${VIEW_SIDE} px | mean |Δ| s→end`,
  );
  for (const pair of args.pairs.split(',')) {
    const [c, s] = pair.split(':') as [string, string];
    const content = await readImage(path.join(dir, `${c}.jpg`));
    const style = await readImage(path.join(dir, `${s}.jpg`));
    const pictures: RgbaImage[] = [];
    const losses: number[] = [];
    const coarse = args.coarse ? args.coarse.split(',').map((c) => c.split(':').map(Number) as [number, number]) : [];
    const options: Partial<StylizeOptions> = {
      ...preset,
      size,
      tolerance: 0,
      previewEvery: 1,
      ...(coarse.length > 0
        ? { scales: [...coarse.map((c) => c[0]), size], stageIterations: [...coarse.map((c) => c[1]), iterations] }
        : { iterations, coarseToFine: 'off' }),
    };
    const last = (p: { stage?: { index: number; count: number } }) => !p.stage || p.stage.index === p.stage.count;
    await engine.stylize(
      { content, styles: [style], options },
      {
        // One loss and picture per iteration of the studied stage (its start is not counted, as in the engine).
        onProgress: (p) => {
          if (!last(p)) return;
          losses.push(p.loss.total);
          if (p.preview) pictures.push(p.preview);
        },
      },
    );
    const end = pictures.at(-1) as RgbaImage;
    if (args.curve) {
      // Per iteration: the loss, its fall over the last window relative to it, and how far the picture moved
      // over that window (mean |Δ| of 0–255 values, and on 4x4 averages).
      for (let i = 1; i <= losses.length; i++) {
        const back = Math.max(1, i - STOP_WINDOW);
        const [now, before] = [losses[i - 1] as number, losses[back - 1] as number];
        const [p, q] = [pictures[i - 1] as RgbaImage, pictures[back - 1] as RgbaImage];
        console.log(
          `  ${i}: loss ${now.toExponential(4)}  fall over ${i - back} ${((before - now) / now).toFixed(4)}  Δ ${meanAbsoluteDifference(p, q).toFixed(2)} / ${coarseDifference(p, q).toFixed(2)}`,
        );
      }
    }
    for (const threshold of thresholds) {
      const at = stopIteration(losses, threshold);
      if (at === null) {
        console.log(`${pair} | ${threshold} | not within ${iterations} | | | | |`);
        continue;
      }
      const twice = Math.min(2 * at, iterations);
      const a = pictures[at - 1] as RgbaImage;
      const b = pictures[twice - 1] as RgbaImage;
      const la = losses[at - 1] as number;
      const lb = losses[twice - 1] as number;
      console.log(
        `${pair} | ${threshold} | ${at} | ${la.toExponential(3)} | ${(lb / la).toFixed(3)} (at ${twice}) | ${meanAbsoluteDifference(a, b).toFixed(2)} | ${coarseDifference(a, b).toFixed(2)} | ${meanAbsoluteDifference(a, end).toFixed(2)}`,
      );
      if (threshold === sheetThreshold) {
        cells.push({ image: a, label: `${c} × ${s}: stopped at ${at}, loss ${la.toExponential(3)}` });
        cells.push({ image: b, label: `after ${twice} iterations, loss ${lb.toExponential(3)}` });
      }
    }
  }
  engine.dispose();
  if (cells.length > 0) {
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.sheet);
    await writeSheet(cells, 2, out);
    console.log(`wrote ${out}`);
  }
}

await main();
