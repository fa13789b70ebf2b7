import type { tf } from '../tfjs/tf.js';
import { type ConvGradient, type ConvParams, convRelu, createConvParams, disposeConvParams } from './conv.js';
import { type ConvLayerName, layersUpTo, requireLayers } from './layers.js';

export { requireLayers };

import { type Pooling, pool2x2 } from './pool.js';
import type { Vgg19Weights } from './weights-types.js';

/** VGG19's feature stack on tfjs: conv layers only, run as deep as the deepest layer asked for. */
export interface Vgg19 {
  /** The conv layers whose weights were loaded, in network order. */
  readonly available: readonly ConvLayerName[];
  readonly convGradient: ConvGradient;
  /**
   * Activations (after ReLU) of `layers` for a preprocessed batch [n, h, w, 3] (BGR, 0-255, mean subtracted).
   * Differentiable with respect to x; call inside tf.tidy / tf.grad. Throws if a layer is unavailable.
   */
  features(x: tf.Tensor4D, layers: readonly ConvLayerName[], pooling: Pooling): Map<ConvLayerName, tf.Tensor4D>;
  dispose(): void;
}

export interface Vgg19Options {
  /** How conv input-gradients are computed; backend.ts picks the fast one per backend. */
  convGradient?: ConvGradient;
}

export function createVgg19(weights: Vgg19Weights, options: Vgg19Options = {}): Vgg19 {
  const convGradient = options.convGradient ?? 'native';
  const params = new Map<ConvLayerName, ConvParams>();
  for (const [name, w] of weights.layers) {
    params.set(name, createConvParams(w.kernel, w.kernelShape, w.bias, convGradient));
  }
  const available = [...weights.available];

  return {
    available,
    convGradient,
    features(x, layers, pooling) {
      requireLayers(available, layers);
      const wanted = new Set(layers);
      const out = new Map<ConvLayerName, tf.Tensor4D>();
      let h = x;
      for (const spec of layersUpTo(layers)) {
        if (spec.kind === 'pool') {
          h = pool2x2(h, pooling);
          continue;
        }
        const p = params.get(spec.name);
        if (!p) throw new Error(`the weights lack ${spec.name}, which ${[...wanted].join(', ')} depend on`);
        h = convRelu(h, p);
        if (wanted.has(spec.name)) out.set(spec.name, h);
      }
      return out;
    },
    dispose() {
      for (const p of params.values()) disposeConvParams(p);
      params.clear();
    },
  };
}
