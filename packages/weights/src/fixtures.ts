/** Test fixtures: synthetic VGG19 weights with the real shapes and seeded random values (no I/O). */
import { type ConvLayerName, convChannels } from './layers.js';
import type { ConvWeights, Vgg19Weights } from './types.js';

/** A seeded uniform generator in [0, 1) (a 32-bit linear congruential one: plenty for test data). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Values like real conv weights (about +-0.1), with some tiny ones that are float16 subnormals. */
function randomValues(count: number, random: () => number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const scale = i % 17 === 0 ? 2 ** -20 : 0.1; // every 17th value below float16's normal range (2^-14)
    values[i] = (random() * 2 - 1) * scale;
  }
  return values;
}

/** Weights for `layers` with VGG19's shapes: kernel [3, 3, in, out], bias [out]. */
export function syntheticWeights(layers: readonly ConvLayerName[], seed = 1): Vgg19Weights {
  const random = seededRandom(seed);
  const map = new Map<ConvLayerName, ConvWeights>();
  for (const layer of layers) {
    const { inChannels, outChannels } = convChannels(layer);
    map.set(layer, {
      kernel: randomValues(9 * inChannels * outChannels, random),
      kernelShape: [3, 3, inChannels, outChannels],
      bias: randomValues(outChannels, random),
    });
  }
  return { available: [...layers], layers: map };
}
