import { ImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import { describeFailure, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE } from './error-words.js';

describe('describeFailure: the command line words for each error code', () => {
  it('usage mistakes exit 2 and point at --help', () => {
    const f = describeFailure(new ImpastoError('bad-option', 'iterations must be a whole number from 1 to 100000'));
    expect(f).toEqual({
      text: 'iterations must be a whole number from 1 to 100000\nRun impasto --help for usage.',
      exit: EXIT_USAGE,
    });
  });

  it('missing layers get the partial-weights hint by code, whatever the message says', () => {
    const f = describeFailure(new ImpastoError('missing-layers', 'conv4_2 is not in these weights'));
    expect(f).toEqual({
      text: 'conv4_2 is not in these weights (with partial weights, try --preset shallow)',
      exit: EXIT_FAILURE,
    });
    // The same words without the code get no hint: nothing is read from messages.
    expect(describeFailure(new ImpastoError('bad-weights', 'the weights lack conv4_2')).text).toBe(
      'the weights lack conv4_2',
    );
  });

  it('cancellation exits 130; unknown errors are reported as failures', () => {
    expect(describeFailure(new DOMException('stop', 'AbortError')).exit).toBe(EXIT_INTERRUPTED);
    expect(describeFailure(new ImpastoError('cancelled', 'stylization cancelled')).exit).toBe(EXIT_INTERRUPTED);
    expect(describeFailure(new TypeError('x is undefined'))).toEqual({
      text: 'failed: x is undefined',
      exit: EXIT_FAILURE,
    });
    expect(describeFailure(new ImpastoError('out-of-memory', 'wasm ran out of memory')).text).toBe(
      'wasm ran out of memory; try a smaller --size',
    );
  });
});
