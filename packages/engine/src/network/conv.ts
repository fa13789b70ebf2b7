import { tf } from '../tfjs/tf.js';

/**
 * How a conv layer's gradient with respect to its input is computed.
 * - `native`: tfjs's own Conv2DBackpropInput kernel.
 * - `flipped`: an ordinary same-padding convolution of the upstream gradient with the spatially flipped,
 *   in/out-transposed filter. Exact for stride 1, 3x3, same padding; on tfjs-wasm it is about 3x faster than the
 *   native kernel, elsewhere slower, so backend.ts chooses per backend.
 */
export type ConvGradient = 'native' | 'flipped';

/** One VGG conv layer's parameters as tensors, kept for a network's lifetime. */
export interface ConvParams {
  readonly kernel: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
  /** reverse(kernel, [0, 1]) transposed to [3, 3, out, in]; only for `flipped`. */
  readonly flippedKernel: tf.Tensor4D | null;
}

export function createConvParams(
  kernel: Float32Array,
  shape: readonly [number, number, number, number],
  bias: Float32Array,
  gradient: ConvGradient,
): ConvParams {
  const k = tf.tensor4d(kernel, [...shape]);
  const flippedKernel =
    gradient === 'flipped' ? tf.tidy(() => tf.transpose(tf.reverse(k, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D) : null;
  return { kernel: k, bias: tf.tensor1d(bias), flippedKernel };
}

export function disposeConvParams(p: ConvParams): void {
  p.kernel.dispose();
  p.bias.dispose();
  p.flippedKernel?.dispose();
}

/** relu(conv3x3_same(x) + bias), differentiable with respect to x only (the weights are constants). */
export function convRelu(x: tf.Tensor4D, p: ConvParams): tf.Tensor4D {
  if (!p.flippedKernel) {
    return tf.relu(tf.add(tf.conv2d(x, p.kernel, 1, 'same'), p.bias)) as tf.Tensor4D;
  }
  const flipped = p.flippedKernel;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const y = tf.fused.conv2d({
      x: input as tf.Tensor4D,
      filter: p.kernel,
      strides: 1,
      pad: 'same',
      bias: p.bias,
      activation: 'relu',
    });
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [activated] = saved as [tf.Tensor4D];
        const masked = tf.mul(dy, tf.step(activated));
        return tf.conv2d(masked as tf.Tensor4D, flipped, 1, 'same') as tf.Tensor;
      },
    };
  });
  return op(x) as tf.Tensor4D;
}
