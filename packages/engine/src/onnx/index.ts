/** The ONNX Runtime compute path (Node only; `onnxruntime-node` is an optional dependency loaded on demand). */

export { benchOnnx, type OnnxBenchRow } from './bench-onnx.js';
export {
  createOnnxLossProgram,
  createOnnxLossProgramFactory,
  type OnnxGraphOptimization,
  type OnnxLossProgramFactory,
  type OnnxOptions,
} from './onnx-loss-program.js';
export { onnxAvailable } from './ort.js';
