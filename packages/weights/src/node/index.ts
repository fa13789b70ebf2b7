/**
 * @impasto/weights/node: weights folders on disk, the default-location rule, and getting the weights from the
 * Keras .h5 (download with resume, md5 check, float16 conversion, all-or-nothing folder writes, verification).
 */

export { type DownloadOptions, type DownloadProgress, downloadFromMirrors, downloadResumable } from './download.js';
export {
  type ConvertOptions,
  convertKerasFile,
  type FetchOptions,
  type FetchResult,
  fetchModel,
  obtainSourceFile,
  whatToDo,
} from './fetch.js';
export {
  type DirectoryLoadOptions,
  loadWeightsFromDirectory,
  readWeightsDirectory,
  type WeightsDirectoryContents,
} from './folder.js';
export { readKerasVgg19 } from './keras-h5-lazy.js';
export {
  findUp,
  isUrl,
  modelsDir,
  repositoryRoot,
  repoWeightsDir,
  resolveWeightsLocation,
  WEIGHTS_HELP,
  weightsPresent,
} from './location.js';
export { md5File } from './md5.js';
export { type ModelSpec, parseModelSpec, readModelSpec, SPEC_NAME } from './spec.js';
export { formatSummary, type LayerSummary, type VerifySummary, verifyWeightsDirectory } from './verify.js';
export { writeWeightsDirectory } from './write-dir.js';
