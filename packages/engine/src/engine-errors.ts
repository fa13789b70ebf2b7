import { ImpastoError, isCancellation } from '@impasto/errors';

// The words tfjs, WebGL and emscripten use; matched here, at the engine's boundary, so no host reads messages.
const OUT_OF_MEMORY = /out of memory|\bOOM\b|allocation failed|failed to allocate|CONTEXT_LOST|Cannot enlarge memory/i;
const RUNTIME_DIED = /memory access out of bounds|Aborted\(|unreachable executed|RuntimeError/i;

/**
 * What a failed run says to its caller: ImpastoErrors and cancellations as they are; a backend's own failure as
 * 'out-of-memory' or 'backend-failed' (details.fatal: the runtime died and must be restarted before the next run).
 */
export function asEngineError(e: unknown, backend: string): unknown {
  if (e instanceof ImpastoError || isCancellation(e)) return e;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (OUT_OF_MEMORY.test(message)) {
    return new ImpastoError('out-of-memory', `${backend} ran out of memory (${message})`, { backend }, { cause: e });
  }
  const fatal =
    (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) || RUNTIME_DIED.test(message);
  return new ImpastoError('backend-failed', `${backend} failed: ${message}`, { backend, fatal }, { cause: e });
}
