/**
 * @impasto/engine/internals: the engine's building blocks for its sibling packages' benchmarks and end-to-end
 * tests (the CLI package's bench and e2e suites). Node only; no stability promise: hosts use `.`, `./browser`, `./node`.
 */

export { benchPoint, benchSpec } from './bench-spec.js';
export { toYiq } from './image/colors.js';
export { resizeImage } from './image/resize.js';
export type { ConvGradient } from './network/conv.js';
export * from './node/index.js';
export {
  CONV_ALGORITHMS,
  type ConvAlgorithm,
  createOnnxLossProgramFactory,
  onnxAvailable,
} from './onnx/index.js';
export { createLbfgs } from './optim/index.js';
export { gaussianNoise } from './run/random.js';
export { stoppedFalling } from './run/schedule.js';
export { NOISE_STD } from './run/stylize.js';
export { tf } from './tfjs/tf.js';
export { createTfLossProgram } from './tfjs/tf-loss-program.js';
export { planTiles, tileCount } from './tiling/plan.js';
export { addTotalVariation } from './tiling/total-variation.js';
