/** @impasto/engine/node: Node-only helpers (file I/O with sharp, weights from a folder, the tfjs set-up). */

export * from '../index.js';
export { configureTfjsForNode, createNodeEngine, loadWeights } from './engine-node.js';
export { encodeImage, ImageFileError, OUTPUT_FORMATS, readImage, writeImage } from './image-io.js';
export { loadWeightsFromDirectory } from './weights-dir.js';
export { REPO_WEIGHTS_DIR, resolveWeightsLocation } from './weights-location.js';
