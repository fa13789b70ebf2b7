/** The ONNX Runtime compute path in Node (`onnxruntime-node` is an optional dependency loaded on demand). */

export type { OnnxLossProgramFactory } from './onnx-loss-program.js';
export {
  createOnnxLossProgramFactory,
  type OnnxGraphOptimization,
  type OnnxOptions,
  onnxAvailable,
} from './ort-node.js';
export { CONV_ALGORITHMS, type ConvAlgorithm } from './vgg-graph.js';
