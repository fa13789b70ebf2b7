import path from 'node:path';
import type { Engine, RgbaImage } from '@impasto/engine/internals';
import { caffeToRgba, createNodeEngine, gaussianNoise, LAYER_PRESETS, NOISE_STD, tf } from '@impasto/engine/internals';
import { TEST_IMAGES_DIR, TEST_WEIGHTS_DIR } from '@impasto/engine/testing';
import { loadWeightsFromDirectory } from '@impasto/weights/node';
import { syntheticWeights } from '@impasto/weights/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../image-io.js';

function meanAbsDifference(a: RgbaImage, b: RgbaImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++)
    if (i % 4 !== 3) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return sum / ((a.data.length * 3) / 4);
}

async function smallImage(name: string, size: number): Promise<RgbaImage> {
  const sharp = (await import('sharp')).default;
  const file = path.join(TEST_IMAGES_DIR as string, name);
  const { data, info } = await sharp(file)
    .resize(size, size, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

const PATHS = ['onnx', 'wasm'] as const;

describe.skipIf(!TEST_WEIGHTS_DIR || !TEST_IMAGES_DIR).each(PATHS)(
  'end to end on the real partial VGG19 weights (%s)',
  (backend) => {
    let engine: Engine;
    let content: RgbaImage;
    let style: RgbaImage;
    beforeAll(async () => {
      engine = await createNodeEngine({ weights: await loadWeightsFromDirectory(TEST_WEIGHTS_DIR as string), backend });
      expect(engine.backend).toBe(backend);
      await tf.ready(); // the leak check reads tf.memory(), even when ONNX Runtime computes
      content = await smallImage('tubingen.jpg', 64);
      style = await smallImage('starry_night.jpg', 64);
    });
    afterAll(() => engine?.dispose());

    it('stylizes a 64 px image: style loss at least halves, the result is neither the content nor the noise', async () => {
      const before = tf.memory().numTensors;
      const result = await engine.stylize({
        content,
        styles: [style],
        options: { ...LAYER_PRESETS.shallow, size: 64, iterations: 30, init: 'noise', seed: 3 },
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.image.width).toBe(64);
      expect(result.image.height).toBe(48);
      const styleLosses = result.history.map((h) => h.style);
      expect(styleLosses.at(-1) as number).toBeLessThan((styleLosses[0] as number) / 2);
      // The start: seeded white noise around the mean colour, exactly as stylize makes it.
      const noise = caffeToRgba({ width: 64, height: 48, data: gaussianNoise(64 * 48 * 3, 3, NOISE_STD) });
      expect(meanAbsDifference(result.image, content)).toBeGreaterThan(10);
      expect(meanAbsDifference(result.image, noise)).toBeGreaterThan(10);
    });

    it('reads images via sharp as RGBA (the CLI path)', async () => {
      const img = await readImage(path.join(TEST_IMAGES_DIR as string, 'tubingen.jpg'));
      expect([img.width, img.height]).toEqual([1024, 768]);
      expect(img.data.length).toBe(1024 * 768 * 4);
    });
  },
);

describe.each(PATHS)('stylize behaviour on synthetic weights (%s)', (backend) => {
  let engine: Engine;
  const content: RgbaImage = gradientImage(24, 20);
  const style: RgbaImage = gradientImage(16, 16, true);
  beforeAll(async () => {
    engine = await createNodeEngine({ weights: syntheticWeights('conv2_1'), backend });
    await tf.ready(); // the leak checks read tf.memory(), even when ONNX Runtime computes
  });
  afterAll(() => engine?.dispose());
  const options = {
    contentLayers: ['conv2_1'],
    styleLayers: ['conv1_1', 'conv2_1'],
    size: 24,
    iterations: 4,
    init: 'noise',
  } as const;

  it('the same seed and settings give the same result; another seed does not', async () => {
    const a = await engine.stylize({ content, styles: [style], options: { ...options, seed: 5 } });
    const b = await engine.stylize({ content, styles: [style], options: { ...options, seed: 5 } });
    const c = await engine.stylize({ content, styles: [style], options: { ...options, seed: 6 } });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(Buffer.from(a.image.data).equals(Buffer.from(c.image.data))).toBe(false);
  });

  it('an AbortSignal stops the run within an iteration, rejects with AbortError and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let seen = 0;
    const run = engine.stylize(
      { content, styles: [style], options: { ...options, iterations: 1000 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.iteration;
          if (p.iteration === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a timer can abort the run: each iteration gives the event loop a turn (as a Cancel button needs)', async () => {
    const controller = new AbortController();
    let seen = 0;
    setTimeout(() => controller.abort(), 100);
    const run = engine.stylize(
      { content, styles: [style], options: { ...options, iterations: 5000 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.iteration;
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBeLessThan(5000);
  });

  it('an already-aborted signal rejects before any work', async () => {
    await expect(
      engine.stylize({ content, styles: [style], options }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps the content alpha channel in the output', async () => {
    const transparent = gradientImage(24, 20);
    for (let i = 3; i < transparent.data.length; i += 8) transparent.data[i] = 0;
    const result = await engine.stylize({ content: transparent, styles: [style], options });
    expect(result.image.data[3]).toBe(0);
    expect(result.image.data[7]).toBe(255);
  });

  it('rejects bad input with clear errors and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    await expect(engine.stylize({ content, styles: [], options })).rejects.toThrow('at least one style image');
    await expect(
      engine.stylize({ content: { width: 0, height: 0, data: new Uint8Array() }, styles: [style], options }),
    ).rejects.toThrow('content image has no pixels');
    await expect(engine.stylize({ content, styles: [style], options: { ...options, iterations: -1 } })).rejects.toThrow(
      'iterations must be a whole number',
    );
    await expect(
      engine.stylize({ content, styles: [style], options: { ...options, contentLayers: ['conv4_2'] } }),
    ).rejects.toThrow('the weights lack conv4_2; available layers: conv1_1, conv1_2, conv2_1');
    expect(tf.memory().numTensors).toBe(before);
  });
});

function gradientImage(width: number, height: number, stripes = false): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = stripes ? ((x >> 1) % 2) * 255 : (x * 255) / width;
      data[i + 1] = stripes ? ((y >> 1) % 2) * 255 : (y * 255) / height;
      data[i + 2] = 128;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

describe('image size limits', () => {
  it('refuses an image over the pixel limit before any work', async () => {
    const { validateRgba, MAX_IMAGE_PIXELS } = await import('@impasto/engine/internals');
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 1;
    // A header-only stand-in: validateRgba checks the size before the data length.
    expect(() => validateRgba({ width: side, height: side, data: new Uint8Array(0) }, 'content image')).toThrow(
      `content image is too large (${side}x${side}); the limit is 16384 px a side and 50 megapixels`,
    );
  });
});
