import { tf } from '../tf.js';
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
