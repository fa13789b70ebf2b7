import { tf } from '../tfjs/tf.js';
import { gramOverM } from './gram.js';

/**
 * Style loss of one layer: E = 1/(4 N² M²) Σ (G − A)², with G = F Fᵀ of the image's features and A the target.
 * `targetOverM` is A/M (from gramOverM of the style features, blended across styles), so
 * E = 1/(4 N²) Σ (G/M − A/M)², which is the same number computed with smaller intermediates.
 */
export function styleLayerLoss(features: tf.Tensor4D, targetOverM: tf.Tensor2D): tf.Scalar {
  const n = features.shape[3];
  const g = gramOverM(features);
  return tf.div(tf.sum(tf.squaredDifference(g, targetOverM)), 4 * n * n);
}

/**
 * Guided style loss of one layer (see style-regions.ts): the features weighted by `layerMask` [h·w] before the Gram
 * matrix, which is normalised by M_m = Σ m² (`maskPositions`), and the result scaled by M_m/M. A mask of ones gives
 * styleLayerLoss exactly; `maskPositions` = 0 gives 0.
 */
export function guidedStyleLayerLoss(
  features: tf.Tensor4D,
  targetOverM: tf.Tensor2D,
  layerMask: tf.Tensor4D,
  maskPositions: number,
): tf.Scalar {
  const [, h, w, n] = features.shape;
  // An empty mask: 0, still as a function of the features, so a loss of nothing else keeps a (zero) gradient.
  if (maskPositions === 0) return tf.mul(tf.sum(features), 0);
  const g = tf.mul(gramOverM(tf.mul(features, layerMask)), (h * w) / maskPositions); // G_m / M_m
  const e = tf.div(tf.sum(tf.squaredDifference(g, targetOverM)), 4 * n * n);
  return tf.mul(e, maskPositions / (h * w));
}
