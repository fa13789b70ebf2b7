/**
 * `pnpm bench:converge`: how fast the loss falls, single-scale against coarse-to-fine, on real weights. For each
 * size, both runs get the same wall-clock budget; it prints the full-size loss each had reached at fixed times and
 * the time (and evaluations) each needed to reach fixed losses. The loss of a coarse-to-fine run counts only once
 * its last (full-size) stage has started: earlier stages' losses are at other sizes. Figures, not assertions: the
 * machine may be shared, so the step time measured in the same run is printed with them.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  createNodeEngine,
  DEFAULT_OPTIONS,
  type Engine,
  fitWithin,
  formatLoss,
  LAYER_PRESETS,
  loadWeights,
  type RgbaImage,
  type StylizeOptions,
  type StylizeProgress,
} from '@impasto/engine/internals';
import { messageOf } from '@impasto/errors';
import { DEFAULT_EXAMPLE_STYLE, EXAMPLE_PHOTO } from '@impasto/examples';
import { examplePath } from '@impasto/examples/node';
import { resolveWeightsLocation } from '@impasto/weights/node';
import { readImage } from './image-io.js';

const shared = process.env.IMPASTO_TEST_IMAGES;
const useShared = shared && existsSync(path.join(shared, 'tubingen.jpg'));

const { values: args } = parseArgs({
  options: {
    content: {
      type: 'string',
      default: useShared ? path.join(shared, 'tubingen.jpg') : examplePath(EXAMPLE_PHOTO.file),
    },
    style: {
      type: 'string',
      default: useShared ? path.join(shared, 'starry_night.jpg') : examplePath(DEFAULT_EXAMPLE_STYLE.file),
    },
    sizes: { type: 'string', default: '256,512' },
    /** Wall-clock budget of each run at each size, seconds (one per size). */
    seconds: { type: 'string', default: '40,120' },
    /** Losses whose time to reach is printed, besides the ones the runs themselves define. */
    targets: { type: 'string', default: '' },
    'style-weight': { type: 'string', default: '1e4' },
    /** Runs compared at each size, same budget each: single | c2f, optionally with a start (e.g. single:noise). */
    runs: { type: 'string', default: 'single,c2f' },
    seed: { type: 'string', default: '0' },
    weights: { type: 'string' },
  },
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One point of a loss curve: after `evaluations` evaluations, `ms` after the start, the loss at full size. `work`
 * counts the evaluations in full-size equivalents (each weighted by its stage's pixels over the output's), a measure
 * of cost that does not depend on how busy the machine was.
 */
interface CurvePoint {
  readonly ms: number;
  readonly evaluations: number;
  readonly work: number;
  readonly iteration: number;
  readonly loss: number;
}

interface Curve {
  readonly label: string;
  readonly points: CurvePoint[];
  /** Milliseconds and evaluations spent before the full-size stage began (0 single-scale). */
  readonly fullSizeFrom: { ms: number; evaluations: number };
  /** Each stage's size, iterations run and when it ended, e.g. "64x48×31 (2.0 s)". */
  readonly stages: string[];
}

/** Runs until `budgetMs` has passed (or the run ends), recording the full-size loss after every iteration. */
async function record(
  engine: Engine,
  label: string,
  request: Parameters<Engine['stylize']>[0],
  budgetMs: number,
): Promise<Curve> {
  const points: CurvePoint[] = [];
  const size = request.options?.size as number;
  const output = fitWithin(request.content.width, request.content.height, size);
  let work = 0;
  let counted = 0;
  let fullSizeFrom: Curve['fullSizeFrom'] | null = null;
  /** Per stage: the overall iteration it began after, and how far it got. */
  const stageRuns = new Map<number, { before: number; text: string }>();
  const controller = new AbortController();
  const onProgress = (p: StylizeProgress) => {
    if (p.elapsedMs > budgetMs) return controller.abort();
    const s = p.stage;
    if (s) work += ((p.evaluations - counted) * s.width * s.height) / (output.width * output.height);
    counted = p.evaluations;
    if (s && p.iteration > 0) {
      const before = stageRuns.get(s.index)?.before ?? p.iteration - 1;
      stageRuns.set(s.index, {
        before,
        text: `${s.width}x${s.height}×${p.iteration - before} (${seconds(p.elapsedMs)})`,
      });
    }
    const fullSize = !p.stage || p.stage.index === p.stage.count;
    if (!fullSize) return;
    fullSizeFrom ??= { ms: p.elapsedMs, evaluations: p.evaluations };
    points.push({ ms: p.elapsedMs, evaluations: p.evaluations, work, iteration: p.iteration, loss: p.loss.total });
  };
  await engine.stylize(request, { onStart: onProgress, onProgress, signal: controller.signal }).catch((e: Error) => {
    if (e.name !== 'AbortError') throw e;
  });
  const stages = [...stageRuns.values()].map((r) => r.text);
  return { label, points, fullSizeFrom: fullSizeFrom ?? { ms: budgetMs, evaluations: 0 }, stages };
}

/** The loss a curve had reached by `ms` (NaN before its full-size stage). */
function lossAt(curve: Curve, ms: number): number {
  let loss = Number.NaN;
  for (const p of curve.points) if (p.ms <= ms) loss = p.loss;
  return loss;
}

/** The first point at or below `loss`. */
function reach(curve: Curve, loss: number): CurvePoint | undefined {
  return curve.points.find((p) => p.loss <= loss);
}

/** Median time of one evaluation at full size, from a short single-scale run. */
async function stepMs(engine: Engine, request: Parameters<Engine['stylize']>[0]): Promise<number> {
  const times: number[] = [];
  let last = 0;
  let lastEvaluations = 0;
  await engine.stylize(
    { ...request, options: { ...request.options, coarseToFine: 'off', iterations: 6 } },
    {
      onProgress: (p) => {
        if (p.iteration > 1) times.push((p.elapsedMs - last) / (p.evaluations - lastEvaluations));
        last = p.elapsedMs;
        lastEvaluations = p.evaluations;
      },
    },
  );
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

function printSize(size: number, budgetMs: number, step: number, curves: Curve[], extraTargets: number[]): unknown {
  console.log(
    `\n${size} px, ${seconds(budgetMs)} each; one evaluation at full size: ${Math.round(step)} ms (≈N below: full-size evaluations)`,
  );
  for (const c of curves) {
    const start = formatLoss(c.points[0]?.loss ?? Number.NaN);
    console.log(`  ${c.label.padEnd(22)} full-size start ${start}; stages ${c.stages.join(' → ')}`);
  }
  const times = [0.25, 0.5, 0.75, 1].map((f) => f * budgetMs);
  console.log(`  loss at               ${times.map((t) => seconds(t).padStart(10)).join('')}`);
  for (const c of curves) {
    console.log(`  ${c.label.padEnd(22)}${times.map((t) => formatLoss(lossAt(c, t)).padStart(10)).join('')}`);
  }
  // Fixed losses: the single-scale run's at half and all of the budget, and any asked for.
  const single = curves[0] as Curve;
  const targets = [lossAt(single, budgetMs / 2), lossAt(single, budgetMs), ...extraTargets].filter(Number.isFinite);
  console.log(`  time to reach         ${targets.map((l) => formatLoss(l).padStart(22)).join('')}`);
  for (const c of curves) {
    const cells = targets.map((l) => {
      const p = reach(c, l);
      return (p ? `${seconds(p.ms)} ${p.evaluations} ev ≈${Math.round(p.work)}` : 'not reached').padStart(22);
    });
    console.log(`  ${c.label.padEnd(22)}${cells.join('')}`);
  }
  return {
    size,
    budgetMs,
    stepMs: Math.round(step),
    curves: curves.map((c) => ({
      label: c.label,
      fullSizeFrom: c.fullSizeFrom,
      stages: c.stages,
      lossAt: times.map((t) => lossAt(c, t)),
      reach: targets.map((l) => reach(c, l) ?? null),
    })),
    targets,
  };
}

async function main(): Promise<void> {
  const location = args.weights ?? process.env.IMPASTO_TEST_WEIGHTS ?? resolveWeightsLocation(undefined);
  const engine = await createNodeEngine({ weights: await loadWeights(location) });
  const content: RgbaImage = await readImage(args.content);
  const style: RgbaImage = await readImage(args.style);
  const sizes = args.sizes.split(',').map(Number);
  const budgets = args.seconds.split(',').map((s) => Number(s) * 1000);
  const extraTargets = args.targets ? args.targets.split(',').map(Number) : [];
  console.log(
    `bench:converge on ${engine.backend}: ${path.basename(args.content)} in the style of ${path.basename(args.style)}, shallow layers, β ${args['style-weight']}, no TV, start: ${DEFAULT_OPTIONS.init === 'noise' ? `noise (seed ${args.seed})` : String(DEFAULT_OPTIONS.init)} unless a run names another`,
  );
  const summary: unknown[] = [];
  for (const [k, size] of sizes.entries()) {
    const budgetMs = budgets[k] ?? (budgets.at(-1) as number);
    const options: Partial<StylizeOptions> = {
      ...LAYER_PRESETS.shallow,
      size,
      styleWeight: Number(args['style-weight']),
      tvWeight: 0,
      seed: Number(args.seed),
      iterations: 100000,
    };
    const request = { content, styles: [style], options };
    const step = await stepMs(engine, request);
    const curves: Curve[] = [];
    for (const run of args.runs.split(',')) {
      const [mode, init] = run.split(':');
      const label = `${mode === 'c2f' ? 'coarse-to-fine' : 'single-scale'}${init ? ` ${init}` : ''}`;
      const runOptions: Partial<StylizeOptions> = {
        ...options,
        coarseToFine: mode === 'c2f' ? 'on' : 'off',
        ...(init ? { init: init as 'noise' | 'content' } : {}),
      };
      curves.push(await record(engine, label, { ...request, options: runOptions }, budgetMs));
    }
    summary.push(printSize(size, budgetMs, step, curves, extraTargets));
  }
  engine.dispose();
  console.log(JSON.stringify(summary));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:converge: ${messageOf(e)}\n`);
  process.exitCode = 1;
});
