/**
 * @impasto/weights, browser-safe core: the VGG19 layer table the weights must match, the tfjs weights manifest (both
 * shapes tfjs writes) and its checks, decoding float32/float16 shards with SHA-256 checks, writing weights, and
 * loading from a URL, a picked folder or any file store. No tfjs: the engine turns the decoded arrays into tensors.
 * Node-only parts (folders on disk, the default location, the Keras .h5 download and conversion) are in ./node.
 */

export { type AssembleOptions, assembleWeights } from './assemble.js';
export {
  type EncodedWeights,
  type EncodeOptions,
  encodeWeights,
  type ManifestEntryJson,
  type ManifestGroupJson,
  shardFileOf,
  type WeightsManifestJson,
} from './encode.js';
export {
  type FilesLoadOptions,
  loadWeightsFromFiles,
  readWeightsFiles,
  type WeightsFiles,
  type WeightsFilesContents,
} from './files.js';
export { float16ToFloat32, float32ToFloat16, halfBitsToNumber, numberToHalfBits } from './float16.js';
export * from './layers.js';
export {
  BYTES_PER_ELEMENT,
  type ConvTarget,
  convTargetOf,
  expectedShape,
  type PlannedGroup,
  type PlannedWeight,
  parseWeightsManifest,
  type StoredDtype,
  WEIGHTS_MANIFEST_FILE,
  type WeightsPlan,
} from './manifest.js';
export { type PickedFile, type PickedWeights, weightsFromPickedFiles } from './picked-folder.js';
export { seededRandom } from './random.js';
export { sha256Hex } from './sha256.js';
export type { ConvWeights, Vgg19Weights, WeightsProgress } from './types.js';
export { loadWeightsFromUrl, manifestUrlOf, type UrlLoadOptions } from './url.js';
