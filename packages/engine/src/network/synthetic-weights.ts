import { createRandom } from '../run/random.js';
import { CONV_LAYERS, type ConvLayerName, convChannels } from './layers.js';
import type { ConvWeights, Vgg19Weights } from './weights-types.js';

/**
 * Deterministic stand-in weights for tests and benchmarks (He-uniform kernels, small biases): the real network's
 * shapes and cost, none of its knowledge. `upTo` is the deepest layer included (all before it are too).
 */
export function syntheticWeights(upTo: ConvLayerName = 'conv5_4', seed = 1): Vgg19Weights {
  const random = createRandom(seed);
  const available = CONV_LAYERS.slice(0, CONV_LAYERS.indexOf(upTo) + 1);
  const layers = new Map<ConvLayerName, ConvWeights>();
  for (const name of available) {
    const { inChannels, outChannels } = convChannels(name);
    const limit = Math.sqrt(6 / (9 * inChannels));
    const kernel = new Float32Array(9 * inChannels * outChannels);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (random() * 2 - 1) * limit;
    const bias = new Float32Array(outChannels);
    for (let i = 0; i < bias.length; i++) bias[i] = (random() * 2 - 1) * 0.1;
    layers.set(name, { kernel, kernelShape: [3, 3, inChannels, outChannels], bias });
  }
  return { available, layers };
}
