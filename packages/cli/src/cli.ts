#!/usr/bin/env node
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Engine, RgbaImage, StylizeProgress, StylizeResult } from '@impasto/engine/node';
import {
  checkStyleMasks,
  createNodeEngine,
  invertMask,
  isUrl,
  loadWeights,
  OptionError,
  planStages,
  resolveOptions,
  resolveWeightsLocation,
  scaleToSide,
  WEIGHTS_HELP,
  type WeightedStyle,
  weightsPresent,
} from '@impasto/engine/node';
import { type CliConfig, parseCliArgs, USAGE, UsageError } from './cli-args.js';
import { ImageFileError, outputFormatOf, readImage, writeImage } from './image-io.js';
import { createProgressBar, formatDuration } from './progress-bar.js';

/** A problem the user can fix: printed as one line, exit status 1. */
class UserError extends Error {}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

async function checkOutputLocation(output: string): Promise<void> {
  outputFormatOf(output);
  const dir = path.dirname(path.resolve(output));
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new UserError(`cannot write ${output}: folder ${dir} does not exist`);
}

function intermediatePath(output: string, iteration: number): string {
  const ext = path.extname(output);
  return `${output.slice(0, -ext.length)}.iter${String(iteration).padStart(4, '0')}${ext}`;
}

async function loadEngine(config: CliConfig): Promise<Engine> {
  const location = resolveWeightsLocation(config.weights);
  if (!isUrl(location) && !weightsPresent(location)) {
    throw new UserError(`no VGG19 weights at ${location}. ${WEIGHTS_HELP}`);
  }
  const weights = await loadWeights(location).catch((e: unknown) => {
    throw new UserError(`cannot load weights from ${location}: ${e instanceof Error ? e.message : String(e)}`);
  });
  return createNodeEngine({ weights, backend: config.backend });
}

/** The masks, one per style that has one; the same file read once, so styles sharing it share a region. */
async function readMasks(config: CliConfig): Promise<RgbaImage[]> {
  const plain = new Map<string, RgbaImage>();
  const inverse = new Map<string, RgbaImage>();
  const masks: RgbaImage[] = [];
  for (const { file, invert } of config.masks) {
    const mask = plain.get(file) ?? (await readImage(file));
    plain.set(file, mask);
    const inverted = invert ? (inverse.get(file) ?? invertMask(mask)) : undefined;
    if (inverted) inverse.set(file, inverted);
    masks.push(inverted ?? mask);
  }
  return masks;
}

async function run(config: CliConfig, signal: AbortSignal): Promise<StylizeResult> {
  planStages(resolveOptions(config.options)); // option mistakes are reported before any heavy work
  await checkOutputLocation(config.output);
  const content = await readImage(config.content);
  const styleImages: RgbaImage[] = [];
  for (const file of config.styles) styleImages.push(await readImage(file));
  const masks = await readMasks(config);
  const styles: WeightedStyle[] = styleImages.map((image, i) => {
    const mask = masks[i];
    return { image, weight: config.styleBlend?.[i] ?? 1, ...(mask ? { mask } : {}) };
  });
  try {
    checkStyleMasks(styles, content);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const options = config.initFile
    ? { ...config.options, init: { image: await readImage(config.initFile) } }
    : config.options;
  const side = resolveOptions(options).size;
  if (side > Math.max(content.width, content.height)) {
    const out = scaleToSide(content.width, content.height, side);
    process.stderr.write(
      `impasto: the content is ${content.width}x${content.height}; upsampling it to ${out.width}x${out.height} (--size ${side})\n`,
    );
  }
  const engine = await loadEngine(config);
  const bar = config.quiet || config.json ? null : createProgressBar(process.stderr);
  if (!config.quiet) {
    const fellBack = engine.unavailable.map((u) => `${u.name} (${u.reason})`).join(', ');
    process.stderr.write(`impasto: running on ${engine.backend}${fellBack ? `; unavailable: ${fellBack}` : ''}\n`);
  }
  let saving = Promise.resolve();
  const onProgress = (p: StylizeProgress) => {
    bar?.update(p);
    if (config.json) {
      process.stdout.write(
        `${JSON.stringify({ iteration: p.iteration, iterations: p.iterations, ...p.loss, elapsedMs: p.elapsedMs })}\n`,
      );
    }
    const preview = p.preview;
    if (preview && config.saveEvery > 0 && p.iteration < p.iterations) {
      saving = saving.then(() => writeImage(intermediatePath(config.output, p.iteration), preview));
    }
  };
  try {
    const result = await engine.stylize({ content, styles, options }, { onProgress, signal });
    bar?.done();
    await saving;
    await writeImage(config.output, result.image);
    if (!config.quiet) {
      const last = result.history.at(-1);
      process.stderr.write(
        `impasto: wrote ${config.output} (${result.image.width}x${result.image.height}) in ${formatDuration(result.elapsedMs)}, ${result.iterations} iterations, final loss ${last?.total.toExponential(3)}\n`,
      );
    }
    return result;
  } finally {
    bar?.done();
    engine.dispose();
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let config: CliConfig | null;
  try {
    config = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`impasto: ${(e as Error).message}\nRun impasto --help for usage.\n`);
    return EXIT_USAGE;
  }
  if (!config) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    await run(config, controller.signal);
    return EXIT_OK;
  } catch (e) {
    const err = e as Error;
    if (err.name === 'AbortError') {
      process.stderr.write('\nimpasto: cancelled; nothing written\n');
      return EXIT_INTERRUPTED;
    }
    if (err instanceof OptionError || err instanceof UsageError) {
      process.stderr.write(`impasto: ${err.message}\nRun impasto --help for usage.\n`);
      return EXIT_USAGE;
    }
    if (err instanceof UserError || err instanceof ImageFileError || /weights lack/.test(err.message)) {
      const hint = /weights lack/.test(err.message) ? ' (with partial weights, try --preset shallow)' : '';
      process.stderr.write(`impasto: ${err.message}${hint}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`impasto: failed: ${err.message}\n`);
    if (process.env.IMPASTO_DEBUG) process.stderr.write(`${err.stack}\n`);
    return EXIT_FAILURE;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
