import { parseArgs } from 'node:util';
import type { NodeBackendPreference } from '@impasto/engine/node';
import {
  BACKENDS,
  computeThreads,
  LAYER_PRESETS,
  type LayerPresetName,
  OptionError,
  type StylizeOptions,
  styleWeightForStrength,
} from '@impasto/engine/node';
import { ImpastoError } from '@impasto/errors';

export const USAGE = `Usage: impasto <content> <style> [<style>…] -o <out.png|jpg|webp> [options]

Neural style transfer (Gatys et al. 2015): paints <content> in the style of <style>.

Options:
  -o, --output FILE        where to write the result (.png, .jpg, .jpeg, .webp)            [required]
  -s, --size N             longest side of the output in pixels, up to 4096; a smaller content image is
                           upsampled (said on stderr)                                    [512]
  -i, --iterations N       the most optimiser iterations; a run ends sooner once its picture stops
                           changing (--tolerance)                                        [300]
      --tolerance T        end once the loss falls by less than T (relative) over 10 iterations;
                           0: run every iteration                                        [0.01]
      --optimizer NAME     lbfgs | adam                                                  [lbfgs]
      --content-weight A   α, weight of the content loss                                 [1]
      --style-weight B     β, weight of the style loss                                   [1000]
      --strength S         style strength 0–100 as the hosts show it (50 = default β; +25 = β×10)
      --tv-weight W        total-variation smoothing weight (0: off)                     [0.001]
      --style-blend W,W…   relative weight of each style image                           [equal]
      --init WHAT          noise | content | an image file                               [content]
      --seed N             seed of the noise initialisation                              [0]
      --pooling KIND       avg | max                                                     [avg]
      --preset NAME        layer set: paper (conv4_2; conv1_1…conv5_1) | shallow (conv3_2; conv1_1,conv2_1,conv3_1)
      --content-layers L   comma-separated, e.g. conv4_2                                 [paper]
      --style-layers L     comma-separated, e.g. conv1_1,conv2_1,conv3_1,conv4_1,conv5_1 [paper]
      --learning-rate R    Adam's step size in pixel units                               [10]
      --coarse-to-fine M   auto | on | off: optimise small first, then upsample           [auto]
                           (auto: on from 2048 px; from 512 px when starting from noise)
      --scales N|A,B,…     coarse-to-fine stages: a count, or each stage's longest side ending at --size
      --stage-iterations A,B,…  iterations of each stage (instead of --iterations split, halving per stage up)
      --keep-colors        keep the content's colours (style in luminance only)
      --color-match        give the style images the content's colour mean and covariance first
      --style-scale S      style image size as a multiple of the output's (texture size)  [1]
      --mask FILE          where a style applies: white = here, black = not (drawn over the content image);
                           once per style, in order; invert:FILE takes the inverse (e.g. the second style
                           of two: --mask sky.png --mask invert:sky.png); a style without a mask goes everywhere
      --max-memory SIZE    memory to stay within, e.g. 4G or 1500M: up to a quarter for L-BFGS's history
                           (float32; fewer pairs at large sizes: 3 at 4096x3072 with 4G), and one loss
                           evaluation what the optimiser leaves (above it, exact tiles)   [4G]
      --tile-size N        tiles of at most N px a side, margins included (experts; default: from --max-memory)
  -w, --weights DIR|URL    VGG19 weights (tfjs manifest)        [$IMPASTO_WEIGHTS, then models/vgg19]
      --backend NAME       auto | onnx | ${BACKENDS.join(' | ')}                     [auto]
                           (auto: ONNX Runtime when onnxruntime-node loads, else tfjs wasm, else cpu)
      --threads N          CPU threads for ONNX Runtime (tfjs-wasm in Node runs one)     [all cores: ${computeThreads()}]
      --save-every N       also write <out>.iterNNNN.<ext> every N iterations
      --json               print one JSON line per iteration (0: the starting image) with every loss term,
                           the evaluations so far and the stage and its size, then a result line with
                           why the run stopped (stopReason: converged | iterations | cancelled) (stdout)
  -q, --quiet              no progress bar
  -h, --help               this text
`;

export interface CliConfig {
  readonly content: string;
  readonly styles: readonly string[];
  readonly output: string;
  readonly weights: string | undefined;
  readonly backend: NodeBackendPreference;
  /** ONNX Runtime's threads; undefined: every core (computeThreads). */
  readonly threads: number | undefined;
  readonly saveEvery: number;
  readonly json: boolean;
  readonly quiet: boolean;
  /** An image file to start from, when --init names one. */
  readonly initFile: string | undefined;
  readonly styleBlend: readonly number[] | undefined;
  /** One per style, in order (fewer: the rest have none); `invert` takes the mask's inverse. */
  readonly masks: readonly { readonly file: string; readonly invert: boolean }[];
  /** Options for the engine; validated there (resolveOptions) so the CLI and the API agree. */
  readonly options: Partial<StylizeOptions>;
}

/** Thrown for a usage mistake; the CLI prints it with a pointer to --help and exits with 2. */
export class UsageError extends ImpastoError {
  override name = 'UsageError';
  constructor(message: string) {
    super('bad-option', message);
  }
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} takes a number (got "${value}")`);
  return n;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

function strengthWeight(strength: number | undefined): number | undefined {
  if (strength === undefined) return undefined;
  try {
    return styleWeightForStrength(strength);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function scalesArg(value: string | undefined): number | number[] | undefined {
  const sides = list(value)?.map((n) => number('scales', n) as number);
  return sides && sides.length === 1 ? sides[0] : sides;
}

/** A byte count as 4G, 1500M, 512K or plain bytes (binary units). */
export function bytesArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-memory takes a size such as 4G or 1500M (got "${value}")`);
  const unit = { '': 0, K: 1, M: 2, G: 3, T: 4 }[(m[2] as string).toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * 1024 ** unit);
}

/** Parses argv (without node and the script). Returns null for --help. */
export function parseCliArgs(argv: readonly string[]): CliConfig | null {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e));
  }
  const v = parsed.values;
  if (v.help) return null;
  const [content, ...styles] = parsed.positionals;
  if (!content || styles.length === 0) throw new UsageError('give a content image and at least one style image');
  if (!v.output) throw new UsageError('give the output file with -o out.png');
  const backend = v.backend ?? 'auto';
  const names: readonly string[] = ['auto', 'onnx', ...BACKENDS];
  if (!names.includes(backend)) throw new UsageError(`--backend must be one of ${names.join(', ')} (got "${backend}")`);
  let preset: (typeof LAYER_PRESETS)[LayerPresetName] | undefined;
  if (v.preset !== undefined) {
    if (!(v.preset in LAYER_PRESETS))
      throw new UsageError(`--preset must be one of ${Object.keys(LAYER_PRESETS).join(', ')}`);
    preset = LAYER_PRESETS[v.preset as LayerPresetName];
  }
  const blend = list(v['style-blend'])?.map((w) => number('style-blend', w) as number);
  if (blend && blend.length !== styles.length) {
    throw new UsageError(`--style-blend has ${blend.length} weights for ${styles.length} style images`);
  }
  const masks = (v.mask ?? []).map((m) =>
    m.startsWith('invert:') ? { file: m.slice('invert:'.length), invert: true } : { file: m, invert: false },
  );
  if (masks.length > styles.length) {
    throw new UsageError(`${masks.length} masks for ${styles.length} style images (one mask per style, in order)`);
  }
  if (masks.some((m) => m.file === '')) throw new UsageError('--mask takes an image file (or invert:FILE)');
  const threads = number('threads', v.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 1024)) {
    throw new UsageError(`--threads takes a whole number from 1 to 1024 (got ${threads})`);
  }
  const init = v.init;
  const saveEvery = number('save-every', v['save-every']) ?? 0;
  if (!Number.isInteger(saveEvery) || saveEvery < 0) throw new UsageError('--save-every takes a whole number ≥ 0');
  const options: Partial<StylizeOptions> = {
    size: number('size', v.size),
    iterations: number('iterations', v.iterations),
    tolerance: number('tolerance', v.tolerance),
    optimizer: v.optimizer as StylizeOptions['optimizer'] | undefined,
    contentWeight: number('content-weight', v['content-weight']),
    styleWeight: number('style-weight', v['style-weight']) ?? strengthWeight(number('strength', v.strength)),
    tvWeight: number('tv-weight', v['tv-weight']),
    seed: number('seed', v.seed),
    pooling: v.pooling as StylizeOptions['pooling'] | undefined,
    learningRate: number('learning-rate', v['learning-rate']),
    contentLayers: (list(v['content-layers']) ?? preset?.contentLayers) as StylizeOptions['contentLayers'] | undefined,
    styleLayers: (list(v['style-layers']) ?? preset?.styleLayers) as StylizeOptions['styleLayers'] | undefined,
    previewEvery: saveEvery,
    coarseToFine: v['coarse-to-fine'] as StylizeOptions['coarseToFine'] | undefined,
    scales: scalesArg(v.scales),
    stageIterations: list(v['stage-iterations'])?.map((n) => number('stage-iterations', n) as number),
    keepColors: v['keep-colors'],
    colorMatch: v['color-match'],
    styleScale: number('style-scale', v['style-scale']),
    maxMemory: bytesArg(v['max-memory']),
    tileSize: number('tile-size', v['tile-size']),
    ...(init === 'noise' || init === 'content' ? { init } : {}),
  };
  return {
    content,
    styles,
    output: v.output,
    weights: v.weights,
    backend: backend as NodeBackendPreference,
    threads,
    saveEvery,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    initFile: init === undefined || init === 'noise' || init === 'content' ? undefined : init,
    styleBlend: blend,
    masks,
    options: Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined)),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      size: { type: 'string', short: 's' },
      iterations: { type: 'string', short: 'i' },
      tolerance: { type: 'string' },
      optimizer: { type: 'string' },
      'content-weight': { type: 'string' },
      'style-weight': { type: 'string' },
      strength: { type: 'string' },
      'tv-weight': { type: 'string' },
      'style-blend': { type: 'string' },
      init: { type: 'string' },
      seed: { type: 'string' },
      pooling: { type: 'string' },
      preset: { type: 'string' },
      'content-layers': { type: 'string' },
      'style-layers': { type: 'string' },
      'learning-rate': { type: 'string' },
      'coarse-to-fine': { type: 'string' },
      scales: { type: 'string' },
      'stage-iterations': { type: 'string' },
      'keep-colors': { type: 'boolean' },
      'color-match': { type: 'boolean' },
      'style-scale': { type: 'string' },
      'max-memory': { type: 'string' },
      'tile-size': { type: 'string' },
      mask: { type: 'string', multiple: true },
      weights: { type: 'string', short: 'w' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      'save-every': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export { OptionError };
