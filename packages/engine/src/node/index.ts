/** @impasto/engine/node: the engine in Node (the tfjs set-up, the ONNX Runtime path, weights from a folder or URL). */

import '../backends/node.js';

export * from '../index.js';
export {
  computeThreads,
  configureTfjsForNode,
  createNodeEngine,
  loadWeights,
  type NodeBackendPreference,
  nodeHostMemory,
} from './engine-node.js';
