/**
 * What the ONNX path needs of an ONNX Runtime package: `onnxruntime-node` in Node (ort-node.ts), `onnxruntime-web`
 * in browsers (ort-web.ts). Both build on `onnxruntime-common`, so the graphs and the programs over them are shared.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** The part of an ONNX Runtime module this engine uses. */
export interface OrtModule {
  readonly InferenceSession: typeof InferenceSession;
  readonly Tensor: typeof Tensor;
}
