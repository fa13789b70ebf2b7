/**
 * `pnpm bench:c2f`: coarse-to-fine against single-scale at equal wall time, on real weights. Runs coarse-to-fine
 * first and times it (T); then single-scale at the full size until T has passed, and compares the full-size loss
 * each reached by T. Same content, style, seed, layers and loss at full size. Figures, not assertions: this
 * machine is shared, so run it on a quiet one and repeat.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createNodeEngine,
  formatLoss,
  LAYER_PRESETS,
  loadWeights,
  resolveWeightsLocation,
  type StylizeOptions,
} from '@impasto/engine/internals';
import { EXAMPLES_DIR as EXAMPLES } from './examples-dir.js';
import { readImage } from './image-io.js';

const shared = process.env.IMPASTO_TEST_IMAGES;
const useShared = shared && existsSync(path.join(shared, 'tubingen.jpg'));

const { values: args } = parseArgs({
  options: {
    content: {
      type: 'string',
      default: useShared ? path.join(shared, 'tubingen.jpg') : path.join(EXAMPLES, 'landscape.jpg'),
    },
    style: {
      type: 'string',
      default: useShared ? path.join(shared, 'starry_night.jpg') : path.join(EXAMPLES, 'swirls.jpg'),
    },
    size: { type: 'string', default: '256' },
    iterations: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    weights: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const location = args.weights ?? process.env.IMPASTO_TEST_WEIGHTS ?? resolveWeightsLocation(undefined);
  const engine = await createNodeEngine({ weights: await loadWeights(location) });
  const content = await readImage(args.content);
  const style = await readImage(args.style);
  const base: Partial<StylizeOptions> = {
    ...LAYER_PRESETS.shallow,
    size: Number(args.size),
    iterations: Number(args.iterations),
    seed: Number(args.seed),
  };
  const c2f = await engine.stylize({ content, styles: [style], options: { ...base, coarseToFine: 'on' } });
  const budgetMs = c2f.elapsedMs;
  const c2fLoss = c2f.history.at(-1)?.total ?? Number.NaN;

  // Single-scale until the same wall time has passed; the loss at the last iteration that finished within it.
  const controller = new AbortController();
  let withinBudget = { iteration: 0, loss: Number.NaN };
  await engine
    .stylize(
      { content, styles: [style], options: { ...base, coarseToFine: 'off', iterations: 100000 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.elapsedMs <= budgetMs) withinBudget = { iteration: p.iteration, loss: p.loss.total };
          else controller.abort();
        },
      },
    )
    .catch((e: Error) => {
      if (e.name !== 'AbortError') throw e;
    });
  engine.dispose();
  const stages = c2f.stages.map((s) => `${s.width}x${s.height}×${s.iterations}`).join(' → ');
  const seconds = (budgetMs / 1000).toFixed(1);
  console.log(
    `equal wall time ${seconds} s on ${engine.backend}, ${path.basename(args.content)} in the style of ${path.basename(args.style)}`,
  );
  console.log(`  coarse-to-fine  ${stages}: final loss ${formatLoss(c2fLoss)}`);
  console.log(
    `  single-scale    ${c2f.image.width}x${c2f.image.height}×${withinBudget.iteration}: loss ${formatLoss(withinBudget.loss)}`,
  );
  console.log(`  ratio single/c2f ${(withinBudget.loss / c2fLoss).toFixed(2)}`);
  console.log(
    JSON.stringify({
      budgetMs,
      stages: c2f.stages,
      c2fLoss,
      singleIterations: withinBudget.iteration,
      singleLoss: withinBudget.loss,
    }),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:c2f: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
