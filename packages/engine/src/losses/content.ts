import { tf } from '../tfjs/tf.js';

/** Content loss of one layer: L = 1/2 Σ (F − P)². */
export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.mul(0.5, tf.sum(tf.squaredDifference(features, target)));
}
