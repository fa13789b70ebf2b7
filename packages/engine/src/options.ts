import type { RgbaImage } from './image/rgba.js';
import { CONV_LAYERS, type ConvLayerName, isConvLayerName } from './network/layers.js';
import type { Pooling } from './network/pool.js';
import type { OptimizerName } from './optim/index.js';
import { OptionError } from './option-error.js';
import { type CoarseToFine, DEFAULT_TOLERANCE, planStages } from './run/schedule.js';

/** Where the optimisation starts: seeded white noise, the content image, or any image (resized to the output). */
export type InitOption = 'noise' | 'content' | { readonly image: RgbaImage };

/** Every knob of one stylization, with its default in DEFAULT_OPTIONS. The CLI and the hosts mean the same. */
export interface StylizeOptions {
  /** Longest side of the output in pixels (the content image is scaled to it, down or up). */
  readonly size: number;
  /** The most iterations a run may take, over all its stages; it ends sooner once its picture stops changing (tolerance). */
  readonly iterations: number;
  /**
   * The run ends once its loss fell by less than this fraction over its last STOP_WINDOW iterations (schedule.ts;
   * the last, full-size stage's loss), at 512 px; larger stages use more of it (toleranceFor: 3x from 1024 px).
   * 0: never early; every iteration runs.
   */
  readonly tolerance: number;
  readonly optimizer: OptimizerName;
  /** α: weight of the content loss (as given up to balanceSize; scaled down above it). */
  readonly contentWeight: number;
  /**
   * The longest side up to which contentWeight holds as given. A larger output scales it by (balanceSize / side)²,
   * so it keeps the balance between content and style, and the look, of the same picture at balanceSize: the
   * content loss sums over the feature map's positions (it grows with the pixels), the style loss is normalised by
   * them. null: contentWeight as given at every size (a 2048 px output then counts the content 16x more than at
   * 512 px and finishes close to the photo).
   */
  readonly balanceSize: number | null;
  /** β: weight of the style loss. */
  readonly styleWeight: number;
  /** Weight of the total-variation smoothness term (0 turns it off). */
  readonly tvWeight: number;
  readonly init: InitOption;
  /** Seed of the noise initialisation: the same seed and settings give the same result on the same backend. */
  readonly seed: number;
  readonly pooling: Pooling;
  readonly contentLayers: readonly ConvLayerName[];
  readonly styleLayers: readonly ConvLayerName[];
  /** w_l per style layer, in styleLayers order; default 1/(number of style layers) each, as in the paper. */
  readonly styleLayerWeights: readonly number[] | null;
  /** Adam's step size, in pixel units (the image spans about 0-255). */
  readonly learningRate: number;
  /**
   * L-BFGS history length (pairs kept). 5 by default: from the content start 20 pairs gained 0.1–0.2 % loss per
   * iteration at 512 px (three pairs, 100 iterations) while their two-loop passes took ~0.25 s more a step at
   * 1024 px, with the second core idle (README: time to a finished picture).
   */
  readonly lbfgsHistory: number;
  /** Report a preview image every N iterations (0: never). */
  readonly previewEvery: number;
  /** Optimise at small sizes first, each stage starting from the upsampled last ('auto': on from 512 px for a noise start). */
  readonly coarseToFine: CoarseToFine;
  /**
   * The coarse-to-fine stages: a count (each stage half the next one's size) or the longest side of each stage,
   * ascending and ending at `size`. null: automatic (halving while the smallest stays ≥ 64 px, at most 4).
   */
  readonly scales: number | readonly number[] | null;
  /** Iterations of each stage (their sum replaces `iterations`); null: `iterations` split, halving per stage up. */
  readonly stageIterations: readonly number[] | null;
  /** Keep the content's colours: the result's luminance with the content's chroma (YIQ), at the output size. */
  readonly keepColors: boolean;
  /** Before the run, give the style images the content's colour mean and covariance. */
  readonly colorMatch: boolean;
  /** Longest side of the style image as a multiple of the output's (its texture size); never enlarged past its own. */
  readonly styleScale: number;
  /**
   * Bytes the engine aims to stay within: up to a quarter for L-BFGS's history (fewer pairs at large sizes), and one
   * loss evaluation what the optimiser leaves (above it the image is computed in tiles, exactly). null: the compute
   * path's default (4 GiB in Node; per backend in a browser).
   */
  readonly maxMemory: number | null;
  /** Tiles of at most this many pixels a side (margins included) whenever the image is larger; null: from maxMemory. */
  readonly tileSize: number | null;
}

export type { CoarseToFine };

/** The paper's layers, and a shallow set that runs on the first 8 conv layers (e.g. partial weights). */
export const LAYER_PRESETS = {
  paper: {
    contentLayers: ['conv4_2'],
    styleLayers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
  },
  shallow: {
    contentLayers: ['conv3_2'],
    styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'],
  },
} as const satisfies Record<string, { contentLayers: readonly ConvLayerName[]; styleLayers: readonly ConvLayerName[] }>;

export type LayerPresetName = keyof typeof LAYER_PRESETS;

export const DEFAULT_OPTIONS: StylizeOptions = {
  size: 512,
  iterations: 300,
  tolerance: DEFAULT_TOLERANCE,
  optimizer: 'lbfgs',
  contentWeight: 1,
  balanceSize: 512,
  styleWeight: 1e3,
  tvWeight: 1e-3,
  init: 'content',
  seed: 0,
  pooling: 'avg',
  contentLayers: LAYER_PRESETS.paper.contentLayers,
  styleLayers: LAYER_PRESETS.paper.styleLayers,
  styleLayerWeights: null,
  learningRate: 10,
  lbfgsHistory: 5,
  previewEvery: 0,
  coarseToFine: 'auto',
  scales: null,
  stageIterations: null,
  keepColors: false,
  colorMatch: false,
  styleScale: 1,
  maxMemory: null,
  tileSize: null,
};

export { OptionError };

/** Options objects resolveOptions made: passing one back returns it as it is, so a run validates its options once. */
const resolved = new WeakSet<StylizeOptions>();

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(`${name} must be a whole number from ${min} to ${max} (got ${String(value)})`, name);
  }
  return value;
}

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new OptionError(`${name} must be a finite number ≥ 0 (got ${String(value)})`, name);
  }
  return value;
}

function positive(name: string, value: unknown): number {
  const v = nonNegative(name, value);
  if (v === 0) throw new OptionError(`${name} must be greater than 0`, name);
  return v;
}

function layers(name: string, value: unknown): ConvLayerName[] {
  if (!Array.isArray(value) || value.length === 0) throw new OptionError(`${name} must list at least one layer`, name);
  for (const l of value) {
    if (typeof l !== 'string' || !isConvLayerName(l)) {
      throw new OptionError(`${name}: unknown layer ${String(l)}; layers are ${CONV_LAYERS.join(', ')}`, name);
    }
  }
  return [...new Set(value as ConvLayerName[])];
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionError(`${name} must be one of ${allowed.join(', ')} (got ${String(value)})`, name);
  }
  return value as T;
}

/** Fills in defaults and validates once, at the boundary. Unknown keys are an error (a typo is not ignored). */
export function resolveOptions(partial: Partial<StylizeOptions> = {}): StylizeOptions {
  if (resolved.has(partial as StylizeOptions)) return partial as StylizeOptions;
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_OPTIONS)) throw new OptionError(`unknown option ${key}`, key);
  }
  const o = { ...DEFAULT_OPTIONS, ...stripUndefined(partial) };
  const styleLayers = layers('styleLayers', o.styleLayers);
  let styleLayerWeights: number[] | null = null;
  if (o.styleLayerWeights) {
    if (o.styleLayerWeights.length !== styleLayers.length) {
      throw new OptionError(
        `styleLayerWeights has ${o.styleLayerWeights.length} values for ${styleLayers.length} style layers`,
      );
    }
    styleLayerWeights = o.styleLayerWeights.map((w, i) => nonNegative(`styleLayerWeights[${i}]`, w));
  }
  const init = o.init;
  if (init !== 'noise' && init !== 'content' && (typeof init !== 'object' || !init || !('image' in init))) {
    throw new OptionError(`init must be noise, content or an image (got ${String(init)})`, 'init');
  }
  const options: StylizeOptions = {
    size: integer('size', o.size, 16, 4096),
    iterations: integer('iterations', o.iterations, 1, 100000),
    tolerance: rangeNumber('tolerance', o.tolerance, 0, 1),
    optimizer: oneOf('optimizer', o.optimizer, ['lbfgs', 'adam'] as const),
    contentWeight: nonNegative('contentWeight', o.contentWeight),
    balanceSize: o.balanceSize === null ? null : integer('balanceSize', o.balanceSize, 16, 4096),
    styleWeight: nonNegative('styleWeight', o.styleWeight),
    tvWeight: nonNegative('tvWeight', o.tvWeight),
    init,
    seed: integer('seed', o.seed, 0, 2 ** 32 - 1),
    pooling: oneOf('pooling', o.pooling, ['avg', 'max'] as const),
    contentLayers: layers('contentLayers', o.contentLayers),
    styleLayers,
    styleLayerWeights,
    learningRate: positive('learningRate', o.learningRate),
    lbfgsHistory: integer('lbfgsHistory', o.lbfgsHistory, 1, 1000),
    previewEvery: integer('previewEvery', o.previewEvery, 0, 100000),
    coarseToFine: oneOf('coarseToFine', o.coarseToFine, ['auto', 'on', 'off'] as const),
    scales: scalesOption(o.scales),
    stageIterations:
      o.stageIterations === null
        ? null
        : wholeNumbers('stageIterations', o.stageIterations, 1, 100000, 'at least one stage'),
    keepColors: flag('keepColors', o.keepColors),
    colorMatch: flag('colorMatch', o.colorMatch),
    styleScale: rangeNumber('styleScale', o.styleScale, 0.05, 4),
    maxMemory: o.maxMemory === null ? null : integer('maxMemory', o.maxMemory, 64 * 1024 ** 2, 2 ** 50),
    tileSize: o.tileSize === null ? null : integer('tileSize', o.tileSize, 16, 4096),
  };
  planStages(options); // the coarse-to-fine schedule must be one that can run
  resolved.add(options);
  return options;
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OptionError(`${name} must be true or false (got ${String(value)})`, name);
  return value;
}

function rangeNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new OptionError(`${name} must be a number from ${min} to ${max} (got ${String(value)})`, name);
  }
  return value;
}

function wholeNumbers(name: string, value: unknown, min: number, max: number, what: string): number[] {
  if (!Array.isArray(value) || value.length === 0) throw new OptionError(`${name} must list ${what}`, name);
  return value.map((v, i) => integer(`${name}[${i}]`, v, min, max));
}

function scalesOption(value: unknown): number | number[] | null {
  if (value === null) return null;
  if (typeof value === 'number') return integer('scales', value, 1, 8);
  const sides = wholeNumbers('scales', value, 16, 4096, 'at least one size');
  if (sides.some((s, i) => i > 0 && s <= (sides[i - 1] as number))) {
    throw new OptionError(`scales must be ascending sizes (got ${sides.join(', ')})`, 'scales');
  }
  return sides;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * "Style strength" as the hosts show it: 0–100, where 50 is the default β and every 25 points multiplies β by 10
 * (0 → β/100, 100 → β×100). One mapping, so every host and the CLI's --strength mean the same thing.
 */
export function styleWeightForStrength(strength: number): number {
  if (!Number.isFinite(strength) || strength < 0 || strength > 100) {
    throw new OptionError(`style strength must be from 0 to 100 (got ${strength})`, 'strength');
  }
  return DEFAULT_OPTIONS.styleWeight * 10 ** ((strength - 50) / 25);
}
