/** @impasto/engine/node: the engine in Node (the tfjs set-up, the ONNX Runtime path, weights from a folder). */

import '../backends/node.js';

export * from '../index.js';
export { configureTfjsForNode, createNodeEngine, loadWeights, type NodeBackendPreference } from './engine-node.js';
export { loadWeightsFromDirectory } from './weights-dir.js';
export { isUrl, REPO_WEIGHTS_DIR, resolveWeightsLocation, WEIGHTS_HELP, weightsPresent } from './weights-location.js';
