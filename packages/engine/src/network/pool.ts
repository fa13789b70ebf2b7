import { tf } from '../tfjs/tf.js';

/** Average pooling is the paper's choice for synthesis; max pooling is VGG's original. */
export type Pooling = 'avg' | 'max';

/** 2x2, stride 2, valid: halves each side (odd sides drop their last row/column, as in VGG). */
export function pool2x2(x: tf.Tensor4D, pooling: Pooling): tf.Tensor4D {
  return pooling === 'avg' ? tf.avgPool(x, 2, 2, 'valid') : tf.maxPool(x, 2, 2, 'valid');
}
