/**
 * Failures a compute runtime reports outside any call's result: a wasm heap that could not grow, an XNNPACK status
 * printed to the console while the kernel carries on, a lost GPU device. Whoever sees one reports it here; the engine
 * turns a pending fault into its typed error at the next tile or evaluation, and the engine worker forwards each one
 * to the page at once (the page can stop a worker that will never answer again).
 */
import { ImpastoError } from '@impasto/errors';

export interface RuntimeFault {
  /** 'memory': an allocation failed; 'device-lost': the GPU device or context is gone; 'kernel': another failure. */
  readonly kind: 'memory' | 'device-lost' | 'kernel';
  /** The runtime's own words. */
  readonly message: string;
}

let pending: RuntimeFault | null = null;
const listeners = new Set<(fault: RuntimeFault) => void>();

export function reportRuntimeFault(fault: RuntimeFault): void {
  pending ??= fault;
  for (const listener of [...listeners]) listener(fault);
}

/** Calls `listener` for every fault from now on; returns the unsubscribe function. */
export function onRuntimeFault(listener: (fault: RuntimeFault) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The first fault reported since the last call (and forgets it), or null. */
export function takeRuntimeFault(): RuntimeFault | null {
  const fault = pending;
  pending = null;
  return fault;
}

/**
 * The engine's error for a fault, always fatal (the runtime is restarted): 'out-of-memory' for an allocation or a
 * lost device (running out of GPU memory is its usual cause), else 'backend-failed'.
 */
export function faultError(fault: RuntimeFault, backend: string): ImpastoError {
  const code = fault.kind === 'kernel' ? 'backend-failed' : 'out-of-memory';
  return new ImpastoError(code, `${backend} failed inside a kernel: ${fault.message}`, {
    backend,
    fatal: true,
    fault: fault.kind,
  });
}

/** Throws the pending fault's error, if a fault was reported. */
export function throwIfRuntimeFault(backend: string): void {
  const fault = takeRuntimeFault();
  if (fault) throw faultError(fault, backend);
}
