/**
 * The loss every benchmark times (`pnpm bench` in Node, `pnpm bench:browser` in Chromium): VGG19 to conv5_1 with
 * synthetic weights, the paper's layers, noise images of `size` px a side. Figures, never test assertions.
 */
import type { LossSpec } from './compute/loss-program.js';
import { LAYER_PRESETS } from './options.js';
import { gaussianNoise } from './run/random.js';

export function benchSpec(size: number): LossSpec {
  const image = (seed: number) => ({ width: size, height: size, data: gaussianNoise(size * size * 3, seed, 60) });
  return {
    width: size,
    height: size,
    content: image(1),
    styles: [{ image: image(2), weight: 1 }],
    contentLayers: LAYER_PRESETS.paper.contentLayers,
    styleLayers: LAYER_PRESETS.paper.styleLayers,
    styleLayerWeights: [0.2, 0.2, 0.2, 0.2, 0.2],
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-3,
    pooling: 'avg',
  };
}

/** The image each evaluation is timed at. */
export function benchPoint(size: number): Float32Array {
  return gaussianNoise(size * size * 3, 3, 20);
}
