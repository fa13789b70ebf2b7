import { alphaOf, type CaffeImage, rgbaToCaffe } from './image/caffe.js';
import { fitWithin, resizeImage } from './image/resize.js';
import { hasTransparency, type RgbaImage, validateRgba } from './image/rgba.js';
import type { LossSpec } from './loss-program.js';
import type { StylizeOptions } from './options.js';
import { gaussianNoise } from './random.js';

/** A style image and its blend weight (relative; weights are normalised to sum to 1). */
export interface WeightedStyle {
  readonly image: RgbaImage;
  readonly weight?: number;
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
  if (styles.length === 0) throw new Error('at least one style image is needed');
  const out = styles.map((s) => ('image' in s ? s : { image: s, weight: 1 }));
  out.forEach((s, i) => {
    validateRgba(s.image, `style image ${i + 1}`);
    const w = s.weight ?? 1;
    if (!Number.isFinite(w) || w < 0) throw new Error(`style image ${i + 1}: weight must be ≥ 0 (got ${w})`);
  });
  if (out.every((s) => (s.weight ?? 1) === 0)) throw new Error('style weights are all zero');
  return out;
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

/** The style image's size for an output of `width`×`height`: styleScale × its longest side, never enlarged. */
export function styleSize(style: RgbaImage, width: number, height: number, styleScale: number) {
  const side = Math.max(SMALLEST_STYLE_SIDE, Math.round(styleScale * Math.max(width, height)));
  return fitWithin(style.width, style.height, side);
}

/** The loss of one stage: content and styles at this stage's size. */
export function buildSpec(content: CaffeImage, styles: readonly WeightedStyle[], options: StylizeOptions): LossSpec {
  const { width, height } = content;
  return {
    width,
    height,
    content,
    styles: styles.map((s) => {
      const target = styleSize(s.image, width, height, options.styleScale);
      return { image: toCaffe(s.image, target.width, target.height), weight: s.weight ?? 1 };
    }),
    contentLayers: options.contentLayers,
    styleLayers: options.styleLayers,
    styleLayerWeights: options.styleLayerWeights ?? options.styleLayers.map(() => 1 / options.styleLayers.length),
    contentWeight: options.contentWeight,
    styleWeight: options.styleWeight,
    tvWeight: options.tvWeight,
    pooling: options.pooling,
  };
}
