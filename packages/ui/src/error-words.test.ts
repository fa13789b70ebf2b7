import { ImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import { errorInWords } from './error-words.js';

describe('errorInWords', () => {
  it('names files as given (never capitalised) and says what to do', () => {
    const unreadable = new ImpastoError('bad-image', 'x', { name: 'evil.svg', reason: 'unreadable' });
    expect(errorInWords(unreadable)).toBe(
      'evil.svg is not an image this browser can read (PNG, JPEG, WebP and GIF are).',
    );
    const thin = new ImpastoError('image-too-small', 'x', {
      role: 'content',
      name: 'strip.jpg',
      width: 4000,
      height: 3,
      minSide: 4,
      runWidth: 384,
      runHeight: 1,
    });
    expect(errorInWords(thin)).toBe(
      'strip.jpg (4000x3) is too small or too narrow: the run would use it at 384x1 px, and the style layers need at least 4 px a side. Choose a larger or less narrow image, or a larger size.',
    );
    const big = new ImpastoError('image-too-large', 'x', {
      name: 'Huge.PNG',
      width: 20000,
      height: 20000,
      maxSide: 16384,
      maxPixels: 50_000_000,
    });
    expect(errorInWords(big)).toBe(
      'Huge.PNG is too large (20000x20000): the limit is 16384 px a side and 50 megapixels.',
    );
  });

  it('backend failures without the runtime’s own words', () => {
    const died = new ImpastoError('backend-failed', 'wasm failed: RuntimeError: memory access out of bounds', {
      backend: 'wasm',
      fatal: true,
    });
    expect(errorInWords(died)).toBe(
      'The WebAssembly (TensorFlow.js) computation failed and has been restarted: try again.',
    );
    // onnxruntime-web cannot start twice in one worker: after an abort the next run says so.
    const stopped = new ImpastoError('backend-failed', 'stopped', { backend: 'ort-wasm', stopped: true });
    expect(errorInWords(stopped)).toBe(
      'The WebAssembly (ONNX Runtime) runtime stopped after an error: reload to start it again, or choose another under Advanced → Compute.',
    );
    expect(errorInWords(new ImpastoError('out-of-memory', 'webgl ran out of memory (CONTEXT_LOST_WEBGL)'))).toBe(
      'The device ran out of memory. Try a smaller size.',
    );
  });

  it("a size the device's memory cannot hold: the device, what is needed, the largest size menu choice that fits", () => {
    const onDevice = new ImpastoError('exceeds-memory', 'a 4096x3072 result needs …', {
      width: 4096,
      height: 3072,
      needBytes: 2_113_929_216,
      memoryBytes: 2 * 1024 ** 3,
      largestSide: 3575,
      deviceGB: 4,
    });
    expect(errorInWords(onDevice)).toBe(
      'This device has about 4 GB of memory, too little for a 4096x3072 picture (its optimiser alone needs 2.1 GB). Choose 2048 px or smaller.',
    );
    const onBudget = new ImpastoError('exceeds-memory', '…', {
      width: 1024,
      height: 768,
      needBytes: 1.3e8,
      largestSide: 60,
    });
    expect(errorInWords(onBudget)).toBe(
      'A 1024x768 picture needs 0.1 GB for its optimiser alone, more than the run may use. Choose a smaller size.',
    );
  });

  it('cancellations, and other errors by their own sentence', () => {
    expect(errorInWords(new ImpastoError('cancelled', 'stylization cancelled'))).toBe('Cancelled.');
    expect(errorInWords(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe('Cancelled.');
    expect(errorInWords(new ImpastoError('weights-missing', 'this site has no weights yet'))).toBe(
      'This site has no weights yet.',
    );
    expect(errorInWords(new Error('the mask of style image 1 is 10x30 (draw it over the photo)'))).toBe(
      'The mask of style image 1 is 10x30 (draw it over the photo)',
    );
  });
});
