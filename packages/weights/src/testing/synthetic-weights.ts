/**
 * The one generator of synthetic VGG19 weights, for tests and benchmarks in every package: the real network's shapes
 * and cost, seeded, none of its knowledge. Browser-safe (the engine's browser benchmarks bundle it).
 */
import { CONV_LAYERS, type ConvLayerName, convChannels } from '../layers.js';
import { seededRandom } from '../random.js';
import type { ConvWeights, Vgg19Weights } from '../types.js';

export { seededRandom };

export interface SyntheticWeightsOptions {
  /**
   * Make every 17th value tiny (about 2^-20, below float16's normal range, 2^-14), as real weights have some: for
   * tests of float16 encoding and decoding. Off by default, so the engine's tests and benchmarks see plain values.
   */
  readonly float16Subnormals?: boolean;
}

/** Uniform values in ±limit, every 17th tiny where asked. */
function uniform(count: number, limit: number, random: () => number, subnormals: boolean): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const scale = subnormals && i % 17 === 0 ? 2 ** -20 : limit;
    values[i] = (random() * 2 - 1) * scale;
  }
  return values;
}

/**
 * Weights with VGG19's shapes (kernel [3, 3, in, out], bias [out]): He-uniform kernels, biases within ±0.1, from one
 * seeded stream. `layers`: the layers to include, or one layer name for every layer up to and including it.
 */
export function syntheticWeights(
  layers: ConvLayerName | readonly ConvLayerName[] = 'conv5_4',
  seed = 1,
  options: SyntheticWeightsOptions = {},
): Vgg19Weights {
  const random = seededRandom(seed);
  const available = typeof layers === 'string' ? CONV_LAYERS.slice(0, CONV_LAYERS.indexOf(layers) + 1) : [...layers];
  const subnormals = options.float16Subnormals ?? false;
  const map = new Map<ConvLayerName, ConvWeights>();
  for (const name of available) {
    const { inChannels, outChannels } = convChannels(name);
    const kernel = uniform(9 * inChannels * outChannels, Math.sqrt(6 / (9 * inChannels)), random, subnormals);
    const bias = uniform(outChannels, 0.1, random, subnormals);
    map.set(name, { kernel, kernelShape: [3, 3, inChannels, outChannels], bias });
  }
  return { available, layers: map };
}
