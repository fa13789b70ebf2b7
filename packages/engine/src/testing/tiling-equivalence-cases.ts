/** Tiled == untiled: the cases both compute paths' tests share (Node and browsers). */

import type { LossSpec } from '../compute/loss-program.js';
import type { CaffeImage } from '../image/caffe.js';
import type { ConvLayerName } from '../network/layers.js';
import { createRandom, gaussianNoise } from '../run/random.js';

export function noiseImage(width: number, height: number, seed: number): CaffeImage {
  return { width, height, data: gaussianNoise(width * height * 3, seed, 40) };
}

/**
 * The image both programs evaluate: noise of a larger spread than the style images', so the Grams differ clearly
 * from their targets (were they within ~1e-3, float32 rounding of G would dominate G − A on every path).
 */
export function evaluationPoint(spec: LossSpec): Float32Array {
  return gaussianNoise(spec.width * spec.height * 3, 9, 70);
}

/** Values drawn uniformly from [0, 1]. */
export function softMask(width: number, height: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: width * height }, () => random());
}

export function equivalenceSpec(
  width: number,
  height: number,
  contentLayers: ConvLayerName[],
  styleLayers: ConvLayerName[],
  overrides: Partial<LossSpec> = {},
): LossSpec {
  return {
    width,
    height,
    content: noiseImage(width, height, 1),
    styles: [{ image: noiseImage(width + 7, height - 3, 2), weight: 1 }],
    contentLayers,
    styleLayers,
    styleLayerWeights: styleLayers.map(() => 1 / styleLayers.length),
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-2,
    pooling: 'avg',
    ...overrides,
  };
}

/** Variations every path is tested on: blended styles, soft masks beside an unmasked style, max pooling. */
export function variations(width: number, height: number): [string, Partial<LossSpec>][] {
  return [
    ['content, style and tv', {}],
    [
      'two blended styles, max pooling',
      {
        styles: [
          { image: noiseImage(width + 5, height + 2, 2), weight: 2 },
          { image: noiseImage(width - 3, height + 4, 5), weight: 1 },
        ],
        pooling: 'max',
      },
    ],
    [
      'a masked style beside an unmasked one',
      {
        styles: [
          { image: noiseImage(width + 5, height + 2, 2), weight: 1, mask: softMask(width, height, 21) },
          { image: noiseImage(width - 3, height + 4, 5), weight: 1 },
        ],
      },
    ],
  ];
}
