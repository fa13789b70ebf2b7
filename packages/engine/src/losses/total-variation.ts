import { tf } from '../tfjs/tf.js';

/**
 * Total variation: Σ (x[i+1, j] − x[i, j])² + Σ (x[i, j+1] − x[i, j])² over all channels (squared form: smooth,
 * so L-BFGS handles it well). Penalises high-frequency noise in the synthesised image.
 */
export function totalVariationLoss(x: tf.Tensor4D): tf.Scalar {
  const [, h, w] = x.shape;
  const down = tf.squaredDifference(
    tf.slice(x, [0, 1, 0, 0], [-1, h - 1, -1, -1]),
    tf.slice(x, [0, 0, 0, 0], [-1, h - 1, -1, -1]),
  );
  const right = tf.squaredDifference(
    tf.slice(x, [0, 0, 1, 0], [-1, -1, w - 1, -1]),
    tf.slice(x, [0, 0, 0, 0], [-1, -1, w - 1, -1]),
  );
  return tf.add(tf.sum(down), tf.sum(right));
}
