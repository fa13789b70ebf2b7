/** Test-only helpers for the ONNX path: error measures. */
/** |a − b| / |b|. */
export { relativeError, relativeL2 } from './relative-error.js';
