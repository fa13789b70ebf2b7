import { describe, expect, it } from 'vitest';
import { cancelledError, fromWire, ImpastoError, isCancellation, isImpastoError, messageOf, toWire } from './index.js';

describe('ImpastoError', () => {
  it('carries a code and details, and is an Error', () => {
    const e = new ImpastoError('missing-layers', 'the weights lack conv4_2', { missing: ['conv4_2'] });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('missing-layers');
    expect(e.details).toEqual({ missing: ['conv4_2'] });
    expect(isImpastoError(e)).toBe(true);
    expect(isImpastoError(e, 'bad-option')).toBe(false);
    expect(isImpastoError(new Error('x'))).toBe(false);
  });

  it('messageOf gives the message of an Error, and any other thrown value as a string', () => {
    expect(messageOf(new ImpastoError('io', 'cannot read a.png'))).toBe('cannot read a.png');
    expect(messageOf(new TypeError('x is not a function'))).toBe('x is not a function');
    expect(messageOf('plain words')).toBe('plain words');
    expect(messageOf(42)).toBe('42');
  });

  it('cancellation keeps the AbortError name and is recognised in every shape', () => {
    const controller = new AbortController();
    controller.abort();
    const e = cancelledError(controller.signal);
    expect(e.code).toBe('cancelled');
    expect(e.name).toBe('AbortError');
    expect(isCancellation(e)).toBe(true);
    expect(isCancellation(new DOMException('stop', 'AbortError'))).toBe(true);
    expect(isCancellation(new Error('stop'))).toBe(false);
    expect(cancelledError(AbortSignal.abort(e))).toBe(e);
  });

  it('crosses a structured-clone boundary as data and comes back whole', () => {
    const e = new ImpastoError('image-too-small', 'too small', { width: 1, height: 1, minSide: 4 });
    const back = fromWire(structuredClone(toWire(e)));
    expect(back).toBeInstanceOf(ImpastoError);
    expect([back.code, back.message, back.details]).toEqual([e.code, e.message, e.details]);
    expect(toWire(new TypeError('boom'))).toEqual({ code: 'internal', message: 'boom', details: {} });
    expect(toWire(new DOMException('x', 'AbortError')).code).toBe('cancelled');
  });
});
