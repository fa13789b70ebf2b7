import { isImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import { LAYER_PRESETS } from '../options.js';
import { checkImageFits, minimumSide } from './image-fit.js';

const shallow = { ...LAYER_PRESETS.shallow, size: 384, iterations: 10 };

function thrown(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('checkImageFits: sizes a run can take, checked when an image is chosen', () => {
  it('the minimum side is 2^(poolings before the deepest layer)', () => {
    expect(minimumSide(LAYER_PRESETS.shallow)).toBe(4); // conv3_2: pool1, pool2
    expect(minimumSide(LAYER_PRESETS.paper)).toBe(16); // conv5_1: pool1..pool4
    expect(minimumSide({ contentLayers: ['conv1_1'], styleLayers: ['conv1_2'] })).toBe(1);
  });

  it('refuses a 1x1 and a 4000x3 photo with image-too-small, naming the size the run would use', () => {
    const tiny = thrown(() => checkImageFits({ width: 1, height: 1 }, 'content', shallow, 'dot.png'));
    expect(isImpastoError(tiny, 'image-too-small')).toBe(true);
    expect((tiny as Error).message).toBe('dot.png is 1x1, 1x1 as the run uses it; the layers used need at least 4x4');
    // 4000x3 scaled to 384 px: 384 x round(3 × 384/4000 = 0.288) → 384x1.
    const thin = thrown(() => checkImageFits({ width: 4000, height: 3 }, 'content', shallow, 'strip.jpg'));
    expect(isImpastoError(thin, 'image-too-small')).toBe(true);
    expect((thin as { details: unknown }).details).toEqual({
      role: 'content',
      name: 'strip.jpg',
      width: 4000,
      height: 3,
      minSide: 4,
      runWidth: 384,
      runHeight: 1,
    });
  });

  it('accepts what the layers can take, and checks the smallest coarse-to-fine stage', () => {
    expect(() => checkImageFits({ width: 4, height: 4 }, 'content', shallow)).not.toThrow();
    expect(() => checkImageFits({ width: 4000, height: 42 }, 'content', shallow)).not.toThrow(); // 384x4
    // At 1024 px with 4 stages the first runs at 128 px: 1000x40 → 128x5 fits 4 px, but not the paper's 16.
    const c2f = { size: 1024, iterations: 100, coarseToFine: 'on' } as const;
    expect(() => checkImageFits({ width: 1000, height: 40 }, 'content', { ...shallow, ...c2f })).not.toThrow();
    const paper = thrown(() => checkImageFits({ width: 1000, height: 40 }, 'content', c2f));
    expect((paper as { details: { runHeight: number; minSide: number } }).details).toMatchObject({
      runWidth: 128,
      runHeight: 5,
      minSide: 16,
    });
  });

  it('a style image is scaled to the content (at least 16 px long side) and must fit too', () => {
    // Style images keep their own size up to the stage's longest side: 20x3 stays 20x3, under 4 px.
    expect(
      isImpastoError(
        thrown(() => checkImageFits({ width: 20, height: 3 }, 'style', shallow)),
        'image-too-small',
      ),
    ).toBe(true);
    expect(() => checkImageFits({ width: 20, height: 4 }, 'style', shallow)).not.toThrow();
  });

  it('refuses a 20000x20000 image with image-too-large before anything is decoded or allocated', () => {
    const e = thrown(() => checkImageFits({ width: 20000, height: 20000 }, 'style', shallow, 'big.png'));
    expect(isImpastoError(e, 'image-too-large')).toBe(true);
    expect((e as { details: unknown }).details).toMatchObject({ width: 20000, height: 20000, maxSide: 16384 });
  });
});
