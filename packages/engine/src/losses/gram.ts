import { tf } from '../tfjs/tf.js';

/**
 * Gram matrix of one image's feature map [1, h, w, N], divided by M = h·w: G/M = (Fᵀ F)/M, shape [N, N].
 * Dividing by M here keeps float32 magnitudes small; style.ts accounts for it so E_l is exactly the paper's.
 */
export function gramOverM(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, n] = features.shape;
  const m = h * w;
  const f = tf.reshape(features, [m, n]);
  return tf.div(tf.matMul(f, f, true, false), m) as tf.Tensor2D;
}
