/**
 * `pnpm bench:optimiser [--sizes 1024,2048,4096] [--steps 8]`: the JS work between two loss evaluations, per output
 * size (4:3, RGB): one L-BFGS step as runs take it (history 5, one evaluation a step), its objective's own time
 * left out, and the tiled path's total-variation term with its gradient. The objective is a cheap separable
 * quadratic, so the optimiser settles into one evaluation a step; the first steps (which allocate the history) are
 * not counted. Medians, in ms. Figures, not assertions.
 */
import { parseArgs } from 'node:util';
import { addTotalVariation, createLbfgs } from '@impasto/engine/internals';
import { median } from './median.js';

const { values: args } = parseArgs({
  options: { sizes: { type: 'string', default: '1024,2048,4096' }, steps: { type: 'string', default: '8' } },
});
const HISTORY = 5;

async function lbfgsStepMs(values: number, steps: number): Promise<number> {
  const x = Float32Array.from({ length: values }, (_, i) => Math.cos(i) * 50);
  const gradient = new Float32Array(values);
  let objectiveMs = 0;
  const objective = async (p: Float32Array) => {
    const t0 = performance.now();
    let loss = 0;
    for (let i = 0; i < values; i++) {
      const c = 1 + (i % 7);
      const v = p[i] as number;
      loss += 0.5 * c * v * v;
      gradient[i] = c * v;
    }
    objectiveMs += performance.now() - t0;
    return { loss, gradient };
  };
  const optimizer = createLbfgs({ history: HISTORY, firstStepMaxMove: 8 });
  const times: number[] = [];
  for (let step = 0; step < HISTORY + 1 + steps; step++) {
    objectiveMs = 0;
    const t0 = performance.now();
    await optimizer.step(x, objective);
    if (step > HISTORY) times.push(performance.now() - t0 - objectiveMs);
  }
  return median(times);
}

function totalVariationMs(width: number, height: number, repeats: number): number {
  const data = Float32Array.from({ length: width * height * 3 }, (_, i) => Math.sin(i * 0.37) * 100);
  const gradient = new Float32Array(data.length);
  const times: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const t0 = performance.now();
    addTotalVariation({ width, height, data }, 0.001, gradient);
    if (r > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

const steps = Number(args.steps);
const rows = [];
for (const size of args.sizes.split(',').map(Number)) {
  const [width, height] = [size, Math.round((size * 3) / 4)];
  const lbfgsMs = await lbfgsStepMs(width * height * 3, steps);
  const tvMs = totalVariationMs(width, height, steps);
  rows.push({ size: `${width}x${height}`, lbfgsStepMs: Math.round(lbfgsMs), totalVariationMs: Math.round(tvMs) });
}
console.table(rows);
console.log(JSON.stringify(rows));
