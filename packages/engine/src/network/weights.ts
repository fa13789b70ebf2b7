/**
 * VGG19 weights: parse a tfjs weights manifest, check it against the layer table, decode float32 or
 * float16 shards (from any transport) and verify SHA-256s. Browser-safe; the Node directory loader is
 * in ../node/weights-dir.ts.
 */

export { requireLayers } from './layers.js';
export { type AssembleOptions, assembleWeights } from './weights-assemble.js';
export {
  type EncodedWeights,
  type EncodeOptions,
  encodeWeights,
  type ManifestEntryJson,
  type ManifestGroupJson,
  shardFileOf,
  WEIGHTS_MANIFEST_FILE,
  type WeightsManifestJson,
} from './weights-encode.js';
export { float16ToFloat32, float32ToFloat16, halfBitsToNumber, numberToHalfBits } from './weights-float16.js';
export {
  BYTES_PER_ELEMENT,
  type ConvTarget,
  convTargetOf,
  expectedShape,
  type PlannedGroup,
  type PlannedWeight,
  parseWeightsManifest,
  type StoredDtype,
  type WeightsPlan,
} from './weights-manifest.js';
export { sha256Hex } from './weights-sha256.js';
export type { ConvWeights, Vgg19Weights, WeightsProgress } from './weights-types.js';
export { loadWeightsFromUrl, manifestUrlOf, type UrlLoadOptions } from './weights-url.js';
