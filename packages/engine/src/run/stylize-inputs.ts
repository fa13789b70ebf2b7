import { ImpastoError } from '@impasto/errors';
import type { LossSpec } from '../compute/loss-program.js';
import { alphaOf, type CaffeImage, rgbaToCaffe } from '../image/caffe.js';
import { checkMaskShape, maskValues } from '../image/mask.js';
import { fitWithin, resizeImage } from '../image/resize.js';
import { hasTransparency, type RgbaImage, validateRgba } from '../image/rgba.js';
import { runBytes } from '../memory/memory-policy.js';
import { optimizerMemory, runMemory } from '../memory/optimizer-memory.js';
import type { StylizeOptions } from '../options.js';
import { gaussianNoise } from './random.js';

/**
 * A style image, its blend weight, and optionally where on the output it applies. Styles with the same `mask` object
 * (or none) blend, their weights normalised among them; each mask's region adds its own style loss (guided Gram
 * matrices, see style-regions.ts).
 */
export interface WeightedStyle {
  readonly image: RgbaImage;
  readonly weight?: number;
  /**
   * Drawn over the content image (same aspect ratio): white (or opaque) where this style applies, black (or
   * transparent) where it does not; grey blends. Stretched to each stage's size.
   */
  readonly mask?: RgbaImage;
}

/** Standard deviation of the white-noise start, in pixel units around the ImageNet mean colour. */
export const NOISE_STD = 5;

/** The smallest longest side a style image is scaled to (the deepest shallow layers need a few pixels). */
const SMALLEST_STYLE_SIDE = 16;

export function toCaffe(image: RgbaImage, width: number, height: number): CaffeImage {
  const c = rgbaToCaffe(image);
  const r = resizeImage({ ...c, channels: 3 }, width, height);
  return { width, height, data: r.data };
}

export function normaliseStyles(styles: readonly (RgbaImage | WeightedStyle)[]): WeightedStyle[] {
  if (styles.length === 0)
    throw new ImpastoError('bad-option', 'at least one style image is needed', { option: 'styles' });
  const out = styles.map((s) => ('image' in s ? s : { image: s, weight: 1 }));
  out.forEach((s, i) => {
    validateRgba(s.image, `style image ${i + 1}`);
    const w = s.weight ?? 1;
    if (!Number.isFinite(w) || w < 0) {
      throw new ImpastoError('bad-option', `style image ${i + 1}: weight must be ≥ 0 (got ${w})`, { option: 'styles' });
    }
  });
  if (out.every((s) => (s.weight ?? 1) === 0))
    throw new ImpastoError('bad-option', 'style weights are all zero', { option: 'styles' });
  return out;
}

/** Throws a clear error for a mask that is not a usable image or not drawn over the content (its aspect ratio). */
export function checkStyleMasks(styles: readonly WeightedStyle[], content: RgbaImage): void {
  styles.forEach((s, i) => {
    if (!s.mask) return;
    validateRgba(s.mask, `mask of style image ${i + 1}`);
    checkMaskShape(s.mask, content, `the mask of style image ${i + 1}`);
  });
}

export function alphaAt(image: RgbaImage, width: number, height: number): Uint8Array | undefined {
  if (!hasTransparency(image)) return undefined;
  const a = alphaOf(image);
  const resized = resizeImage(
    { width: image.width, height: image.height, channels: 1, data: Float32Array.from(a) },
    width,
    height,
  );
  return Uint8Array.from(resized.data, (v) => Math.round(v));
}

export function initialImage(options: StylizeOptions, content: CaffeImage): Float32Array {
  const { width, height } = content;
  if (options.init === 'content') return content.data.slice();
  if (options.init === 'noise') return gaussianNoise(width * height * 3, options.seed, NOISE_STD);
  validateRgba(options.init.image, 'init image');
  return toCaffe(options.init.image, width, height).data;
}

/**
 * A coarse-to-fine stage's start: the previous stage's result upsampled, plus the content detail the smaller stage
 * could not hold (the content minus its smaller copy upsampled). Plain upsampling blurs: the full-size content loss
 * then starts high and the stage spends its iterations restoring edges (measured with the coarse-to-fine bench, README).
 */
export function nextStageStart(previous: CaffeImage, previousContent: CaffeImage, content: CaffeImage): Float32Array {
  const { width, height } = content;
  const start = resizeImage({ ...previous, channels: 3 }, width, height).data;
  const blurred = resizeImage({ ...previousContent, channels: 3 }, width, height).data;
  for (let i = 0; i < start.length; i++) {
    start[i] = (start[i] as number) + (content.data[i] as number) - (blurred[i] as number);
  }
  return start;
}

/** The style image's size for an output of `width`×`height`: styleScale × its longest side, never enlarged. */
export function styleSize(
  style: { readonly width: number; readonly height: number },
  width: number,
  height: number,
  styleScale: number,
) {
  const side = Math.max(SMALLEST_STYLE_SIDE, Math.round(styleScale * Math.max(width, height)));
  return fitWithin(style.width, style.height, side);
}

/**
 * The style image's size in a stage of `stageSide` px: its size at the output (styleSize), scaled down as the stage
 * is. Every stage then optimises the same picture at its own resolution (texture as large relative to the canvas),
 * so a stage's result upsampled is near the next stage's optimum and only lacks detail. (A style capped at its own
 * size, e.g. 1024 px under a 4096 px output, would otherwise be as large at the 1024 px stage as at the output's,
 * its texture 4x too coarse once upsampled.)
 */
export function stageStyleSize(
  style: { readonly width: number; readonly height: number },
  output: { readonly width: number; readonly height: number },
  stageSide: number,
  styleScale: number,
) {
  const full = styleSize(style, output.width, output.height, styleScale);
  const ratio = stageSide / Math.max(output.width, output.height);
  if (ratio >= 1) return full;
  const side = Math.max(SMALLEST_STYLE_SIDE, Math.round(ratio * Math.max(full.width, full.height)));
  return fitWithin(full.width, full.height, side);
}

/**
 * The content weight of a stage whose run ends at `output`: the run's weight × the output's pixels over the stage's.
 * The content loss sums over the feature map's positions (it grows with the pixels), the style loss is normalised
 * by them, so at a quarter of the pixels the same weight would count the content 4x less:
 * the stage would settle a more stylised picture than the output's optimum, which the full-size stage then undoes
 * (golden_gate at 2048 px: a 1024 px stage's result upsampled had a full-size loss of 6.3e9, the photo's 3.2e9).
 * Scaled, every stage optimises the output's objective at its own resolution.
 */
export function stageContentWeight(
  contentWeight: number,
  stage: { readonly width: number; readonly height: number },
  output: { readonly width: number; readonly height: number },
): number {
  return contentWeight * ((output.width * output.height) / (stage.width * stage.height));
}

/**
 * The content weight of the run at its output: `contentWeight` up to `balanceSize` px (longest side), and scaled by
 * (balanceSize / side)² above it, so a larger output keeps the balanceSize picture's balance of content and style
 * (options.ts, balanceSize). null: as given.
 */
export function outputContentWeight(
  contentWeight: number,
  output: { readonly width: number; readonly height: number },
  balanceSize: number | null,
): number {
  const side = Math.max(output.width, output.height);
  if (balanceSize === null || side <= balanceSize) return contentWeight;
  return contentWeight * (balanceSize / side) ** 2;
}

/** The loss of one stage: content and styles at this stage's size (`output`: the run's final size). */
export function buildSpec(
  content: CaffeImage,
  styles: readonly WeightedStyle[],
  options: StylizeOptions,
  output: { readonly width: number; readonly height: number },
  memory = runMemory(options),
): LossSpec {
  const { width, height } = content;
  // One array per mask image, so styles that share a mask share a region.
  const masks = new Map<RgbaImage, Float32Array>();
  const maskAt = (mask: RgbaImage): Float32Array => {
    const known = masks.get(mask);
    if (known) return known;
    const values = maskValues(mask, width, height);
    masks.set(mask, values);
    return values;
  };
  return {
    width,
    height,
    content,
    styles: styles.map((s) => {
      const target = stageStyleSize(s.image, output, Math.max(width, height), options.styleScale);
      const image = toCaffe(s.image, target.width, target.height);
      return s.mask ? { image, weight: s.weight ?? 1, mask: maskAt(s.mask) } : { image, weight: s.weight ?? 1 };
    }),
    contentLayers: options.contentLayers,
    styleLayers: options.styleLayers,
    styleLayerWeights: options.styleLayerWeights ?? options.styleLayers.map(() => 1 / options.styleLayers.length),
    contentWeight: stageContentWeight(
      outputContentWeight(options.contentWeight, output, options.balanceSize),
      content,
      output,
    ),
    styleWeight: options.styleWeight,
    tvWeight: options.tvWeight,
    pooling: options.pooling,
    ...(options.maxMemory === null ? {} : { maxMemory: options.maxMemory }),
    runMemory: memory,
    // The optimiser as it runs (its history fills a quarter of the memory), and the run's other buffers.
    reservedMemory: optimizerMemory(options, width * height * 3, memory) + runBytes(options, width * height).besides,
    ...(options.tileSize === null ? {} : { tileSize: options.tileSize }),
  };
}
