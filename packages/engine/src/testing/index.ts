/**
 * @impasto/engine/testing: support for tests of the engine and its sibling packages (Node): where the real test data
 * is (or why its tests skip). Never part of the public API.
 */
export { TEST_IMAGES_DIR, TEST_WEIGHTS_DIR } from './test-data.js';
