/** @impasto/engine/node: Node-only helpers (file I/O with sharp, weights from a folder, the tfjs set-up). */

export { loadWeightsFromDirectory, resolveWeightsLocation } from '@impasto/weights/node';
export * from '../index.js';
export { configureTfjsForNode, createNodeEngine, loadWeights } from './engine-node.js';
export { encodeImage, ImageFileError, OUTPUT_FORMATS, readImage, writeImage } from './image-io.js';
export { REPO_WEIGHTS_DIR } from './weights-location.js';
