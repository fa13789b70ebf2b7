import { ImpastoError, isImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import { asEngineError } from './engine-errors.js';

describe('asEngineError: a backend failure as an ImpastoError', () => {
  it('keeps ImpastoErrors and cancellations as they are', () => {
    const own = new ImpastoError('bad-image', 'x');
    expect(asEngineError(own, 'wasm')).toBe(own);
    const abort = Object.assign(new Error('stop'), { name: 'AbortError' });
    expect(asEngineError(abort, 'wasm')).toBe(abort);
  });

  it('out of memory, a dead wasm runtime, anything else', () => {
    const oom = asEngineError(new Error('Failed to allocate buffer'), 'webgl');
    expect(isImpastoError(oom, 'out-of-memory')).toBe(true);
    const died = asEngineError(new WebAssembly.RuntimeError('memory access out of bounds'), 'wasm');
    expect(isImpastoError(died, 'backend-failed') && died.details).toEqual({ backend: 'wasm', fatal: true });
    const aborted = asEngineError(new Error('Aborted(). Build with -sASSERTIONS for more info.'), 'wasm');
    expect(isImpastoError(aborted, 'backend-failed') && aborted.details.fatal).toBe(true);
    const other = asEngineError(new Error('The new shape (NaN,0) has NaN elements'), 'webgl');
    expect(isImpastoError(other, 'backend-failed') && other.details).toEqual({ backend: 'webgl', fatal: false });
  });
});
