import { ImpastoError, isCancellation, messageOf } from '@impasto/errors';
import type { RuntimeFault } from './runtime-faults.js';

/** What tfjs (WebGL, WebGPU, wasm/emscripten) and ONNX Runtime say when memory runs out. */
const OUT_OF_MEMORY =
  /out of memory|\bOOM\b|allocation failed|Failed to allocate|CONTEXT_LOST|Array buffer allocation|Aborted\(\)|memory access out of bounds|bad_alloc|Cannot enlarge memory|device (is |was )?lost/i;

/** What emscripten says when a wasm runtime dies: every later call into it fails until it is started afresh. */
const RUNTIME_DIED = /Aborted\(|memory access out of bounds|unreachable/i;

/**
 * The one place where a compute backend's raw error becomes an ImpastoError: the layers above see codes, never the
 * backend's words. Ours pass through; cancellation stays cancellation. details.fatal: the runtime died (a wasm abort), and the engine restarts it before the next run.
 */
export function asComputeError(e: unknown, backend: string): unknown {
  if (e instanceof ImpastoError || isCancellation(e)) return e;
  const message = messageOf(e);
  const died =
    (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) || RUNTIME_DIED.test(message);
  const details = died ? { backend, fatal: true } : { backend };
  if (OUT_OF_MEMORY.test(message)) {
    return new ImpastoError('out-of-memory', `${backend} ran out of memory: ${message}`, details, { cause: e });
  }
  return new ImpastoError('backend-failed', `${backend} failed: ${message}`, details, { cause: e });
}

/** XNNPACK's status codes (xnnpack.h) that mean an allocation failed. */
const XNN_OUT_OF_MEMORY = 6;

/**
 * A runtime's console line that reports a failure inside a kernel, which the runtime itself does not turn into an
 * error: tfjs-wasm prints an XNNPACK status and carries on with garbage (or hangs), emscripten prints `Aborted(…)`
 * in whichever thread died. Null for any other line.
 */
export function faultInLogLine(line: string): RuntimeFault | null {
  const xnn = /XNN status for (\w+) is not successful\. Got status (\d+)/.exec(line);
  if (xnn) {
    const kind = Number(xnn[2]) === XNN_OUT_OF_MEMORY ? 'memory' : 'kernel';
    return { kind, message: `XNNPACK's ${xnn[1]} returned status ${xnn[2]}` };
  }
  if (/Cannot enlarge memory|Aborted\((OOM)?\)|bad_alloc|out of memory/i.test(line))
    return { kind: 'memory', message: line };
  if (/^Aborted\(/.test(line)) return { kind: 'kernel', message: line };
  return null;
}
