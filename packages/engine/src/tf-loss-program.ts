import type { Evaluation, LossProgram, LossSpec } from './loss-program.js';
import { contentLoss } from './losses/content.js';
import { gramOverM } from './losses/gram.js';
import { styleLayerLoss } from './losses/style.js';
import { totalVariationLoss } from './losses/total-variation.js';
import type { ConvLayerName } from './network/layers.js';
import type { Vgg19 } from './network/vgg19.js';
import { tf } from './tf.js';

function imageTensor(data: Float32Array, width: number, height: number): tf.Tensor4D {
  return tf.tensor4d(data, [1, height, width, 3]);
}

/** Blended Gram targets A/M per style layer: Σ_s weight_s · G_s/M_s, weights normalised to sum to 1. */
function styleTargets(net: Vgg19, spec: LossSpec): Map<ConvLayerName, tf.Tensor2D> {
  const total = spec.styles.reduce((a, s) => a + s.weight, 0);
  const targets = new Map<ConvLayerName, tf.Tensor2D>();
  for (const style of spec.styles) {
    if (style.weight === 0) continue;
    tf.tidy(() => {
      const x = imageTensor(style.image.data, style.image.width, style.image.height);
      const features = net.features(x, spec.styleLayers, spec.pooling);
      for (const layer of spec.styleLayers) {
        const g = tf.mul(gramOverM(features.get(layer) as tf.Tensor4D), style.weight / total) as tf.Tensor2D;
        const previous = targets.get(layer);
        targets.set(layer, tf.keep(previous ? (tf.add(previous, g) as tf.Tensor2D) : g));
        previous?.dispose();
      }
    });
  }
  return targets;
}

function contentTargets(net: Vgg19, spec: LossSpec): Map<ConvLayerName, tf.Tensor4D> {
  const targets = new Map<ConvLayerName, tf.Tensor4D>();
  tf.tidy(() => {
    const x = imageTensor(spec.content.data, spec.content.width, spec.content.height);
    for (const [layer, f] of net.features(x, spec.contentLayers, spec.pooling)) targets.set(layer, tf.keep(f));
  });
  return targets;
}

/** The Gatys loss on tfjs: targets computed once here, then evaluate() per optimiser call. */
export function createTfLossProgram(net: Vgg19, spec: LossSpec): LossProgram {
  const { width, height } = spec;
  if (spec.content.width !== width || spec.content.height !== height) {
    throw new Error(`content is ${spec.content.width}x${spec.content.height}, expected ${width}x${height}`);
  }
  const needed = [...new Set([...spec.contentLayers, ...spec.styleLayers])];
  const content = spec.contentWeight > 0 ? contentTargets(net, spec) : new Map<ConvLayerName, tf.Tensor4D>();
  const style = spec.styleWeight > 0 ? styleTargets(net, spec) : new Map<ConvLayerName, tf.Tensor2D>();
  let terms: tf.Tensor1D | null = null;

  /** Total loss of an image tensor; leaves the three weighted terms in `terms`. */
  const totalLoss = (x: tf.Tensor4D): tf.Scalar => {
    const layers = needed.filter((l) => content.has(l) || style.has(l));
    const features = layers.length > 0 ? net.features(x, layers, spec.pooling) : new Map();
    let c: tf.Scalar = tf.scalar(0);
    for (const [layer, target] of content) c = tf.add(c, contentLoss(features.get(layer), target));
    let s: tf.Scalar = tf.scalar(0);
    spec.styleLayers.forEach((layer, i) => {
      const target = style.get(layer);
      if (target)
        s = tf.add(s, tf.mul(spec.styleLayerWeights[i] as number, styleLayerLoss(features.get(layer), target)));
    });
    const tv = spec.tvWeight > 0 ? totalVariationLoss(x) : tf.scalar(0);
    const weighted = tf.stack([tf.mul(spec.contentWeight, c), tf.mul(spec.styleWeight, s), tf.mul(spec.tvWeight, tv)]);
    terms = tf.keep(weighted as tf.Tensor1D);
    return tf.sum(weighted);
  };
  const valueAndGrad = tf.valueAndGrad(totalLoss);

  return {
    async evaluate(data: Float32Array): Promise<Evaluation> {
      const { value, grad } = tf.tidy(() => valueAndGrad(imageTensor(data, width, height)));
      try {
        const [gradient, weighted] = await Promise.all([
          grad.data() as Promise<Float32Array>,
          (terms as tf.Tensor1D).data(),
        ]);
        const [c, s, tv] = weighted as unknown as [number, number, number];
        return { terms: { total: c + s + tv, content: c, style: s, tv }, gradient };
      } finally {
        value.dispose();
        grad.dispose();
        terms?.dispose();
        terms = null;
      }
    },
    dispose() {
      for (const t of content.values()) t.dispose();
      for (const t of style.values()) t.dispose();
      content.clear();
      style.clear();
    },
  };
}
