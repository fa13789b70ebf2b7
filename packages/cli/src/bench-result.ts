/**
 * `pnpm bench:result`: how long until a picture is done. Per size (and pair), one run with the default settings until
 * its stopping rule ends it, then a single-scale run given the same wall time, each in a child process of its own
 * (its peak RSS and CPU time its own). Prints per run: wall time, why it stopped, evaluations per stage, the final
 * full-size loss, peak RSS and the cores used (CPU time / wall time); writes both pictures of every row into one
 * contact sheet (with --crop, a 1:1 window of both beneath, where a look at sheet size hides seams and blur). The
 * paper's layers where the weights have them, else the shallow preset (said in the header).
 * Figures, not assertions: the machine may be shared; the ratios within a row are the figure to quote.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createNodeEngine,
  formatDuration,
  formatLoss,
  LAYER_PRESETS,
  loadWeights,
  type RgbaImage,
  type StylizeOptions,
  type StylizeProgress,
} from '@impasto/engine/node';
import { messageOf } from '@impasto/errors';
import { DEFAULT_EXAMPLE_STYLE, EXAMPLE_PHOTO } from '@impasto/examples';
import { examplePath } from '@impasto/examples/node';
import { resolveWeightsLocation } from '@impasto/weights/node';
import { readImage, writeImage } from './image-io.js';
import { cropAt, parseCropPoint, type SheetCell, writeSheet } from './sheet.js';

/** The sheet's cell width: the pictures are scaled to it, the crops cut at it (1:1). */
const CELL_WIDTH = 640;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '512,1024,2048,4096' },
    /** content:style pairs, file names without .jpg in --images (default: the test images, else the examples). */
    pairs: { type: 'string' },
    images: { type: 'string', default: process.env.IMPASTO_TEST_IMAGES ?? '' },
    weights: { type: 'string' },
    /** Also run single-scale with the same wall time (default); --no-single leaves it out. */
    single: { type: 'boolean', default: true },
    sheet: { type: 'string', default: 'result-sheet.jpg' },
    /**
     * Extra engine options, as JSON (e.g. '{"scales":[512,1024]}'), to try a schedule. The single-scale run takes the
     * same options but the schedule's (singleScale), so both optimise one objective.
     */
    options: { type: 'string', default: '{}' },
    /** Also give each run's full-size loss per iteration with its time in the JSON line, to judge a rule afterwards. */
    curve: { type: 'boolean', default: false },
    /** Keep every run's full-size picture in this folder (to look at 1:1), not only the contact sheet. */
    pictures: { type: 'string' },
    /** Add a row per pair: both pictures 1:1 around this point, as fractions of width and height ("0.5,0.3"). */
    crop: { type: 'string' },
    child: { type: 'string' },
  },
  allowNegative: true,
});

/** What a child is asked to do. */
interface Job {
  readonly content: string;
  readonly style: string;
  readonly size: number;
  readonly weights: string;
  /** 'default': the engine's defaults until they stop; 'single': single-scale until `budgetMs`. */
  readonly mode: 'default' | 'single';
  readonly budgetMs?: number;
  readonly curve: boolean;
  readonly options: Partial<StylizeOptions>;
  readonly out: string;
}

interface StageSummary {
  readonly width: number;
  readonly height: number;
  readonly iterations: number;
  readonly evaluations: number;
}

/** What a child reports. */
interface Outcome {
  readonly wallMs: number;
  readonly cores: number;
  readonly peakRssMiB: number;
  readonly stopReason: string;
  readonly iterations: number;
  readonly stages: StageSummary[];
  readonly loss: number;
  readonly preset: string;
  readonly width: number;
  readonly height: number;
  readonly backend: string;
  /** With --curve: per iteration, the time since the child started (ms), the stage's longest side and its loss. */
  readonly curve?: CurvePoint[];
}

interface CurvePoint {
  readonly ms: number;
  readonly side: number;
  readonly loss: number;
}

/** `options` without the stages they plan (runJob sets the rest of single-scale's schedule): the same objective. */
function singleScale(options: Partial<StylizeOptions>): Partial<StylizeOptions> {
  const { scales, stageIterations, ...objective } = options;
  return objective;
}

function presetFor(available: readonly string[]) {
  const paper = [...LAYER_PRESETS.paper.contentLayers, ...LAYER_PRESETS.paper.styleLayers];
  return paper.every((l) => available.includes(l)) ? 'paper' : 'shallow';
}

/** In the child: one run, its picture written to job.out, an Outcome on stdout's last line. */
async function runJob(job: Job): Promise<Outcome> {
  const started = performance.now();
  const weights = await loadWeights(job.weights);
  const engine = await createNodeEngine({ weights });
  const preset = presetFor(weights.available);
  const content = await readImage(job.content);
  const style = await readImage(job.style);
  const options: Partial<StylizeOptions> = {
    ...LAYER_PRESETS[preset],
    size: job.size,
    ...job.options,
    ...(job.mode === 'single' ? { coarseToFine: 'off', tolerance: 0, iterations: 100000, previewEvery: 1 } : {}),
  };
  const stages = new Map<number, StageSummary>();
  let last: StylizeProgress | null = null;
  let counted = 0;
  const curve: CurvePoint[] = [];
  const controller = new AbortController();
  const onProgress = (p: StylizeProgress) => {
    last = p;
    const s = p.stage;
    if (s) {
      const known = stages.get(s.index);
      stages.set(s.index, {
        width: s.width,
        height: s.height,
        iterations: (known?.iterations ?? 0) + (p.iteration > 0 ? 1 : 0),
        evaluations: (known?.evaluations ?? 0) + p.evaluations - counted,
      });
    }
    counted = p.evaluations;
    if (job.curve && s && p.iteration > 0) {
      curve.push({
        ms: Math.round(performance.now() - started),
        side: Math.max(s.width, s.height),
        loss: p.loss.total,
      });
    }
    if (job.budgetMs !== undefined && performance.now() - started >= job.budgetMs) controller.abort();
  };
  let image: RgbaImage;
  let stopReason: string;
  try {
    const result = await engine.stylize(
      { content, styles: [style], options },
      { onStart: onProgress, onProgress, signal: controller.signal },
    );
    image = result.image;
    stopReason = result.stopReason;
  } catch (e) {
    const preview = (last as StylizeProgress | null)?.preview;
    if (!controller.signal.aborted || !preview) throw e;
    image = preview; // single-scale at its time budget: the last iteration's picture
    stopReason = 'time budget';
  } finally {
    engine.dispose();
  }
  await writeImage(job.out, image);
  const usage = process.resourceUsage();
  const wallMs = performance.now() - started;
  return {
    wallMs,
    cores: (usage.userCPUTime + usage.systemCPUTime) / 1000 / wallMs,
    peakRssMiB: Math.round(usage.maxRSS / 1024),
    stopReason,
    iterations: (last as StylizeProgress | null)?.iteration ?? 0,
    stages: [...stages.values()],
    loss: (last as StylizeProgress | null)?.loss.total ?? Number.NaN,
    preset,
    width: image.width,
    height: image.height,
    backend: engine.backend,
    ...(job.curve ? { curve } : {}),
  };
}

function runChild(job: Job): Outcome {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', JSON.stringify(job)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{'))
    throw new Error(`a run at ${job.size} px failed (exit ${child.status})`);
  return JSON.parse(line) as Outcome;
}

/** A path as typed where pnpm was run (it runs this script in packages/cli). */
const fromInvocation = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

function defaultPairs(images: string): { content: string; style: string }[] {
  if (args.pairs) {
    return args.pairs.split(',').map((p) => {
      const [c, s] = p.split(':') as [string, string];
      return { content: path.join(images, `${c}.jpg`), style: path.join(images, `${s}.jpg`) };
    });
  }
  if (images && existsSync(path.join(images, 'tubingen.jpg'))) {
    return [{ content: path.join(images, 'tubingen.jpg'), style: path.join(images, 'starry_night.jpg') }];
  }
  return [{ content: examplePath(EXAMPLE_PHOTO.file), style: examplePath(DEFAULT_EXAMPLE_STYLE.file) }];
}

/** A 1:1 window of `cell`'s picture, the sheet's cell size, around `centre`. */
function cropCell(cell: SheetCell, centre: { x: number; y: number }): SheetCell {
  const { image } = cell;
  const [x, y] = [Math.round(centre.x * image.width), Math.round(centre.y * image.height)];
  const height = Math.round((image.height / image.width) * CELL_WIDTH);
  return { image: cropAt(image, x, y, CELL_WIDTH, height), label: `${cell.label}: 1:1 at ${x},${y}` };
}

const describeStages = (o: Outcome) =>
  o.stages.map((s) => `${Math.max(s.width, s.height)}: ${s.iterations} it / ${s.evaluations} ev`).join(' → ');

function printRow(label: string, o: Outcome) {
  console.log(
    `  ${label.padEnd(13)} ${formatDuration(o.wallMs).padStart(7)}  ${o.stopReason.padEnd(11)} loss ${formatLoss(o.loss).padEnd(9)} ` +
      `peak RSS ${String(o.peakRssMiB).padStart(5)} MiB  ${o.cores.toFixed(2)} cores  ${describeStages(o)}`,
  );
}

async function main() {
  if (args.child) {
    process.stdout.write(`${JSON.stringify(await runJob(JSON.parse(args.child) as Job))}\n`);
    return;
  }
  const weights = args.weights
    ? fromInvocation(args.weights)
    : (process.env.IMPASTO_TEST_WEIGHTS ?? resolveWeightsLocation(undefined));
  const sizes = args.sizes.split(',').map(Number);
  const pairs = defaultPairs(args.images ? fromInvocation(args.images) : '');
  const options = JSON.parse(args.options) as Partial<StylizeOptions>;
  const crop = args.crop === undefined ? null : parseCropPoint(args.crop);
  const kept = args.pictures ? fromInvocation(args.pictures) : null;
  if (kept) mkdirSync(kept, { recursive: true });
  const work = kept ?? mkdtempSync(path.join(tmpdir(), 'impasto-bench-result-'));
  const cells: (SheetCell | null)[] = [];
  const rows: unknown[] = [];
  console.log(
    `bench:result: default settings${args.options === '{}' ? '' : ` + ${args.options}`} until the stopping rule; single-scale given the same wall time`,
  );
  try {
    for (const size of sizes) {
      for (const pair of pairs) {
        const [content, style] = [path.basename(pair.content, '.jpg'), path.basename(pair.style, '.jpg')];
        const name = `${content} × ${style}`;
        const outOf = (mode: Job['mode']) => path.join(work, `${size}-${content}-${style}-${mode}.png`);
        const job = (mode: Job['mode'], budgetMs?: number): Job => ({
          ...pair,
          size,
          weights,
          mode,
          curve: args.curve,
          options: mode === 'default' ? options : singleScale(options),
          out: outOf(mode),
          ...(budgetMs === undefined ? {} : { budgetMs }),
        });
        const stopped = runChild(job('default'));
        console.log(`\n${name}, ${stopped.width}x${stopped.height} (${stopped.preset} layers, ${stopped.backend}):`);
        printRow('default', stopped);
        const single = args.single ? runChild(job('single', stopped.wallMs)) : null;
        if (single) {
          printRow('single-scale', single);
          console.log(
            `  full-size loss, default / single-scale at the same time: ${(stopped.loss / single.loss).toFixed(3)}`,
          );
        }
        const picture = async (o: Outcome, mode: Job['mode']) => ({
          image: await readImage(outOf(mode)),
          label: `${name} ${size} px, ${mode === 'default' ? 'default' : 'single-scale'}: ${formatDuration(o.wallMs)}, loss ${formatLoss(o.loss)}`,
        });
        const pictures = [await picture(stopped, 'default'), single ? await picture(single, 'single') : null];
        cells.push(...pictures);
        if (crop) cells.push(...pictures.map((cell) => cell && cropCell(cell, crop)));
        rows.push({ pair: name, size, default: stopped, single });
      }
    }
    const out = fromInvocation(args.sheet);
    await writeSheet(cells, 2, out, CELL_WIDTH);
    console.log(`\nwrote ${out}`);
    console.log(JSON.stringify({ bench: 'result', rows }));
  } finally {
    if (!kept) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:result: ${messageOf(e)}\n`);
  process.exitCode = 1;
});
