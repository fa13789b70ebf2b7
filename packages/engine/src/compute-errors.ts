import { ImpastoError, isCancellation } from '@impasto/errors';

/** What tfjs (WebGL, WebGPU, wasm/emscripten) and ONNX Runtime say when memory runs out. */
const OUT_OF_MEMORY =
  /out of memory|\bOOM\b|allocation failed|Failed to allocate|CONTEXT_LOST|Array buffer allocation|Aborted\(\)|memory access out of bounds/i;

/**
 * The one place where a compute backend's raw error becomes an ImpastoError: the layers above see codes, never the
 * backend's words. Ours pass through; cancellation stays cancellation.
 */
export function asComputeError(e: unknown, backend: string): unknown {
  if (e instanceof ImpastoError || isCancellation(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (OUT_OF_MEMORY.test(message)) {
    return new ImpastoError('out-of-memory', `${backend} ran out of memory: ${message}`, { backend }, { cause: e });
  }
  return new ImpastoError('backend-failed', `${backend} failed: ${message}`, { backend }, { cause: e });
}
