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

  it('memory that ran out in a run, and a run that hung: the size that failed and the menu’s next smaller one', () => {
    const kernel = new ImpastoError('out-of-memory', 'wasm failed inside a kernel: XNNPACK …', {
      backend: 'wasm',
      size: 1024,
      fatal: true,
      restarted: true,
    });
    expect(errorInWords(kernel)).toBe(
      "1024 px did not fit in this device's memory; 768 px should. The engine has been restarted.",
    );
    const smallest = new ImpastoError('out-of-memory', '…', { backend: 'wasm', size: 128 });
    expect(errorInWords(smallest)).toBe('The device ran out of memory. Try a smaller size.');
    const hung = new ImpastoError('stalled', '…', {
      backend: 'wasm',
      size: 2048,
      silentMs: 185_000,
      expectedMs: 21_000,
      work: 'gradient',
      restarted: true,
    });
    expect(errorInWords(hung)).toBe(
      'The computation stopped responding at 2048 px (nothing for 3:05, where such work had taken about 0:21), so it was stopped and the engine restarted. Try 1024 px.',
    );
    const firstTile = new ImpastoError('stalled', '…', { size: 384, silentMs: 600_000 });
    expect(errorInWords(firstTile)).toBe(
      'The computation stopped responding at 384 px (nothing for 10:00), so it was stopped and the engine restarted. Try 256 px.',
    );
  });

  it("a size the device's memory cannot hold: the device, what is needed, the largest size menu choice that fits", () => {
    const onDevice = new ImpastoError('exceeds-memory', 'a 4096x3072 result needs …', {
      width: 4096,
      height: 3072,
      needBytes: 2_900_000_000,
      memoryBytes: 2 * 1024 ** 3,
      largestSide: 3575,
      deviceGB: 4,
    });
    expect(errorInWords(onDevice)).toBe(
      'This device has about 4 GB of memory; a 4096x3072 picture needs 2.9 GB, more than the 2.1 GB a run may use here. Choose 2048 px or smaller.',
    );
    const onBudget = new ImpastoError('exceeds-memory', '…', {
      width: 1024,
      height: 768,
      needBytes: 1.3e8,
      largestSide: 60,
    });
    expect(errorInWords(onBudget)).toBe(
      'A 1024x768 picture needs 0.13 GB of memory, more than what a run may use. Choose a smaller size.',
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
