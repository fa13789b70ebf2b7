import path from 'node:path';
import type { Engine, RgbaImage } from '@impasto/engine/internals';
import { createNodeEngine, LAYER_PRESETS, resizeImage, tf, toYiq } from '@impasto/engine/internals';
import { TEST_IMAGES_DIR, TEST_WEIGHTS_DIR } from '@impasto/engine/testing';
import { loadWeightsFromDirectory } from '@impasto/weights/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function smallImage(name: string, size: number): Promise<RgbaImage> {
  const sharp = (await import('sharp')).default;
  const { data, info } = await sharp(path.join(TEST_IMAGES_DIR as string, name))
    .resize(size, size, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Mean absolute difference of channel k (0 Y, 1 I, 2 Q) between two same-size images. */
function yiqDifference(a: RgbaImage, b: RgbaImage, k: number): number {
  const ya = toYiq(a);
  const yb = toYiq(b);
  let sum = 0;
  for (let i = k; i < ya.length; i += 3) sum += Math.abs((ya[i] as number) - (yb[i] as number));
  return sum / (ya.length / 3);
}

function resizedRgba(image: RgbaImage, width: number, height: number): RgbaImage {
  const f = resizeImage({ ...image, channels: 4, data: Float32Array.from(image.data) }, width, height);
  return { width, height, data: Uint8ClampedArray.from(f.data, (v) => Math.round(v)) };
}

describe.skipIf(!TEST_WEIGHTS_DIR || !TEST_IMAGES_DIR)('quality controls on the real partial weights (onnx)', () => {
  let engine: Engine;
  let content: RgbaImage;
  let style: RgbaImage;
  let other: RgbaImage;
  const base = { ...LAYER_PRESETS.shallow, size: 64, iterations: 12, init: 'noise', seed: 2 } as const;
  beforeAll(async () => {
    engine = await createNodeEngine({ weights: await loadWeightsFromDirectory(TEST_WEIGHTS_DIR as string) });
    await tf.ready();
    content = await smallImage('tubingen.jpg', 64);
    style = await smallImage('starry_night.jpg', 64);
    other = await smallImage('tubingen.jpg', 48);
  });
  afterAll(() => engine?.dispose());

  it("keepColors: the output's chroma (I, Q) stays within 2 levels of the content's; without it, it does not", async () => {
    const target = resizedRgba(content, 64, 48);
    const kept = await engine.stylize({ content, styles: [style], options: { ...base, keepColors: true } });
    const free = await engine.stylize({ content, styles: [style], options: base });
    for (const k of [1, 2]) {
      expect(yiqDifference(kept.image, target, k)).toBeLessThan(2);
      expect(yiqDifference(free.image, target, k)).toBeGreaterThan(5);
    }
    // The luminance is the stylized result's, not the content's.
    expect(yiqDifference(kept.image, free.image, 0)).toBeLessThan(1);
    expect(yiqDifference(kept.image, target, 0)).toBeGreaterThan(5);
  });

  it('blend weights (1, 0) give exactly the single-style result (same seed, same backend)', async () => {
    const single = await engine.stylize({ content, styles: [style], options: base });
    const blended = await engine.stylize({
      content,
      styles: [
        { image: style, weight: 1 },
        { image: other, weight: 0 },
      ],
      options: base,
    });
    const even = await engine.stylize({
      content,
      styles: [
        { image: style, weight: 1 },
        { image: other, weight: 1 },
      ],
      options: base,
    });
    expect(Buffer.from(blended.image.data).equals(Buffer.from(single.image.data))).toBe(true);
    expect(Buffer.from(even.image.data).equals(Buffer.from(single.image.data))).toBe(false);
  });

  it('coarse-to-fine runs its stages and leaks no tensors, also when aborted in stage 2', async () => {
    const before = tf.memory().numTensors;
    const options = { ...base, coarseToFine: 'on', scales: [32, 64], stageIterations: [4, 3] } as const;
    const result = await engine.stylize({ content, styles: [style], options });
    expect(result.stages.map((s) => [s.width, s.height])).toEqual([
      [32, 24],
      [64, 48],
    ]);
    expect(result.iterations).toBe(7);
    const controller = new AbortController();
    const run = engine.stylize(
      { content, styles: [style], options },
      { signal: controller.signal, onProgress: (p) => p.iteration === 5 && controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a mask keeps the style where it is white: the black half stays near the content, unlike without the mask', async () => {
    const target = resizedRgba(content, 64, 48);
    const mask: RgbaImage = {
      width: 64,
      height: 48,
      data: Uint8ClampedArray.from({ length: 64 * 48 * 4 }, (_, i) => ((i >> 2) % 64 < 32 || i % 4 === 3 ? 255 : 0)),
    };
    const options = { ...base, init: 'content', iterations: 15 } as const;
    const masked = await engine.stylize({ content, styles: [{ image: style, mask }], options });
    const free = await engine.stylize({ content, styles: [style], options });
    // Mean absolute RGB change from the content in columns [from, to), away from the mask's edge at 32.
    const change = (image: RgbaImage, from: number, to: number) => {
      let sum = 0;
      let count = 0;
      for (let p = 0; p < 64 * 48; p++) {
        if (p % 64 < from || p % 64 >= to) continue;
        for (let k = 0; k < 3; k++)
          sum += Math.abs((image.data[4 * p + k] as number) - (target.data[4 * p + k] as number));
        count += 3;
      }
      return sum / count;
    };
    const [styledSide, plainSide] = [change(masked.image, 0, 24), change(masked.image, 40, 64)];
    expect(plainSide).toBeLessThan(0.35 * styledSide);
    expect(plainSide).toBeLessThan(0.35 * change(free.image, 40, 64));
    expect(styledSide).toBeGreaterThan(0.5 * change(free.image, 0, 24));
  });
});
