#!/usr/bin/env node
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type {
  Engine,
  RgbaImage,
  StopReason,
  StylizeProgress,
  StylizeResult,
  StylizeTileProgress,
} from '@impasto/engine/node';
import {
  checkStylizeRequest,
  createNodeEngine,
  invertMask,
  loadWeights,
  resolveOptions,
  scaleToSide,
  type WeightedStyle,
} from '@impasto/engine/node';
import { ImpastoError, isImpastoError, messageOf } from '@impasto/errors';
import { isUrl, resolveWeightsLocation, WEIGHTS_HELP, weightsPresent } from '@impasto/weights/node';
import { type CliConfig, parseCliArgs } from './cli-args.js';
import { USAGE } from './cli-options.js';
import { describeFailure, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './error-words.js';
import { outputFormatOf, readImage, writeImage } from './image-io.js';
import { createProgressBar, createTileLog, formatDuration } from './progress-bar.js';

async function checkOutputLocation(output: string): Promise<void> {
  outputFormatOf(output);
  const dir = path.dirname(path.resolve(output));
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new ImpastoError('io', `cannot write ${output}: folder ${dir} does not exist`, { path: dir });
  }
}

/** The --json fields of the coarse-to-fine stage an iteration belongs to (its losses are at that stage's size). */
function jsonStage(stage: StylizeProgress['stage']) {
  return stage ? { stage: stage.index, stages: stage.count, width: stage.width, height: stage.height } : {};
}

/** The --json line that ends a run: why it stopped, and what it made (nothing when cancelled). */
function resultLine(stopReason: StopReason, last: StylizeProgress | null, result?: StylizeResult, output?: string) {
  const done = result
    ? {
        output,
        width: result.image.width,
        height: result.image.height,
        stages: result.stages.map((s) => ({ width: s.width, height: s.height, iterations: s.iterations })),
      }
    : {};
  return `${JSON.stringify({
    result: true,
    stopReason,
    iterations: result?.iterations ?? last?.iteration ?? 0,
    evaluations: result?.evaluations ?? last?.evaluations ?? 0,
    elapsedMs: result?.elapsedMs ?? last?.elapsedMs ?? 0,
    ...(last ? { loss: last.loss } : {}),
    ...done,
  })}\n`;
}

function intermediatePath(output: string, iteration: number): string {
  const ext = path.extname(output);
  return `${output.slice(0, -ext.length)}.iter${String(iteration).padStart(4, '0')}${ext}`;
}

async function loadEngine(config: CliConfig): Promise<Engine> {
  const location = resolveWeightsLocation(config.weights);
  if (!isUrl(location) && !weightsPresent(location)) {
    throw new ImpastoError('weights-missing', `no VGG19 weights at ${location}. ${WEIGHTS_HELP}`, { location });
  }
  // The weights' own typed errors pass through (error-words.ts chooses the words); anything else is unreadable weights.
  const weights = await loadWeights(location).catch((e: unknown) => {
    if (isImpastoError(e)) throw e;
    throw new ImpastoError(
      'bad-weights',
      `the weights at ${location} cannot be read: ${messageOf(e)}`,
      { location },
      { cause: e },
    );
  });
  return createNodeEngine({
    weights,
    backend: config.backend,
    ...(config.threads ? { onnx: { threads: config.threads } } : {}),
  });
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
  const resolved = resolveOptions(config.options); // the one validation: option mistakes show before any heavy work
  await checkOutputLocation(config.output);
  const content = await readImage(config.content);
  const styleImages: RgbaImage[] = [];
  for (const file of config.styles) styleImages.push(await readImage(file));
  const masks = await readMasks(config);
  const styles: WeightedStyle[] = styleImages.map((image, i) => {
    const mask = masks[i];
    return { image, weight: config.styleBlend?.[i] ?? 1, ...(mask ? { mask } : {}) };
  });
  const options = config.initFile ? { ...resolved, init: { image: await readImage(config.initFile) } } : resolved;
  // The engine's own check, before the weights load; engine.stylize does not repeat it for this request.
  const request = checkStylizeRequest({ content, styles, options });
  if (resolved.size > Math.max(content.width, content.height)) {
    const out = scaleToSide(content.width, content.height, resolved.size);
    process.stderr.write(
      `impasto: the content is ${content.width}x${content.height}; upsampling it to ${out.width}x${out.height} (--size ${resolved.size})\n`,
    );
  }
  const engine = await loadEngine(config);
  const bar = config.quiet || config.json ? null : createProgressBar(process.stderr);
  if (!config.quiet) {
    const fellBack = engine.unavailable.map((u) => `${u.name} (${u.reason})`).join(', ');
    const threads = engine.threads ? ` (${engine.threads.count} threads: ${engine.threads.why})` : '';
    process.stderr.write(
      `impasto: running on ${engine.backend}${threads}${fellBack ? `; unavailable: ${fellBack}` : ''}\n`,
    );
  }
  // A tiled image's tiles go to stderr (stdout's --json lines stay one per iteration).
  const onTile: ((t: StylizeTileProgress) => void) | undefined = bar
    ? (t) => bar.tile(t)
    : config.quiet
      ? undefined
      : createTileLog(process.stderr);
  let saving = Promise.resolve();
  let last: StylizeProgress | null = null;
  const onProgress = (p: StylizeProgress) => {
    last = p;
    bar?.update(p);
    if (config.json) {
      const { iteration, iterations, evaluations, elapsedMs, stopReason } = p;
      const line = { iteration, iterations, evaluations, ...p.loss, elapsedMs, ...jsonStage(p.stage) };
      process.stdout.write(`${JSON.stringify(stopReason ? { ...line, stopReason } : line)}\n`);
    }
    const preview = p.preview;
    if (preview && config.saveEvery > 0 && p.iteration < p.iterations) {
      saving = saving.then(() => writeImage(intermediatePath(config.output, p.iteration), preview));
    }
  };
  try {
    // The starting loss (iteration 0) goes where every iteration goes: the bar and --json.
    const result = await engine.stylize(request, {
      onStart: onProgress,
      onProgress,
      signal,
      ...(onTile ? { onTile } : {}),
    });
    bar?.done();
    await saving;
    await writeImage(config.output, result.image);
    if (config.json) process.stdout.write(resultLine(result.stopReason, last, result, config.output));
    if (!config.quiet) {
      const final = result.history.at(-1);
      const why = result.stopReason === 'converged' ? 'the picture stopped changing' : 'all iterations used';
      process.stderr.write(
        `impasto: wrote ${config.output} (${result.image.width}x${result.image.height}) in ${formatDuration(result.elapsedMs)}, ${result.iterations} iterations (${result.evaluations} evaluations; ${why}), final loss ${final?.total.toExponential(3)}\n`,
      );
    }
    return result;
  } catch (e) {
    if (config.json && signal.aborted) process.stdout.write(resultLine('cancelled', last));
    throw e;
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
    process.stderr.write(`impasto: ${describeFailure(e).text}\n`);
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
    const failure = describeFailure(e);
    process.stderr.write(`${failure.exit === EXIT_INTERRUPTED ? '\n' : ''}impasto: ${failure.text}\n`);
    if (process.env.IMPASTO_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return failure.exit;
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
