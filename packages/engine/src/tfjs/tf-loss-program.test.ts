import { syntheticWeights } from '@impasto/weights/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LossSpec } from '../compute/loss-program.js';
import type { CaffeImage } from '../image/caffe.js';
import { createVgg19, type Vgg19 } from '../network/vgg19.js';
import { createRandom, gaussianNoise } from '../run/random.js';
import { tf } from './tf.js';
import { createTfLossProgram } from './tf-loss-program.js';

let net: Vgg19;
beforeAll(async () => {
  await tf.setBackend('cpu');
  net = createVgg19(syntheticWeights('conv2_1', 3));
});
afterAll(() => net.dispose());
let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

function image(width: number, height: number, seed: number): CaffeImage {
  return { width, height, data: gaussianNoise(width * height * 3, seed, 40) };
}

function spec(overrides: Partial<LossSpec>): LossSpec {
  return {
    width: 12,
    height: 10,
    content: image(12, 10, 1),
    styles: [{ image: image(14, 9, 2), weight: 1 }],
    contentLayers: ['conv2_1'],
    styleLayers: ['conv1_1', 'conv2_1'],
    styleLayerWeights: [0.5, 0.5],
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-2,
    pooling: 'avg',
    ...overrides,
  };
}

/** A mask of values drawn uniformly from [0, 1]. */
function softMask(width: number, height: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: width * height }, () => random());
}

/** Central-difference directional derivative of the total loss along d. */
async function directional(
  program: ReturnType<typeof createTfLossProgram>,
  x: Float32Array,
  d: Float32Array,
  eps: number,
) {
  const plus = x.map((v, i) => v + eps * (d[i] as number));
  const minus = x.map((v, i) => v - eps * (d[i] as number));
  const [a, b] = [await program.evaluate(plus), await program.evaluate(minus)];
  return (a.terms.total - b.terms.total) / (2 * eps);
}

describe('total loss gradient with respect to the image', () => {
  it.each([
    ['content only', { styleWeight: 0, tvWeight: 0 }],
    ['style only', { contentWeight: 0, tvWeight: 0 }],
    ['total variation only', { contentWeight: 0, styleWeight: 0 }],
    [
      'everything, two blended styles',
      {
        styles: [
          { image: image(14, 9, 2), weight: 2 },
          { image: image(8, 8, 5), weight: 1 },
        ],
      },
    ],
    ['everything, max pooling', { pooling: 'max' as const }],
    [
      'everything, two styles under soft masks (guided Grams)',
      {
        styles: [
          { image: image(14, 9, 2), weight: 1, mask: softMask(12, 10, 21) },
          { image: image(8, 8, 5), weight: 1, mask: softMask(12, 10, 22) },
        ],
      },
    ],
  ])('matches finite differences: %s', async (_name, overrides) => {
    const program = createTfLossProgram(net, spec(overrides));
    const x = gaussianNoise(12 * 10 * 3, 9, 40);
    const { gradient } = await program.evaluate(x);
    const random = createRandom(11);
    for (let trial = 0; trial < 3; trial++) {
      // Along the gradient plus a random part: a random direction alone is nearly orthogonal to the gradient, and
      // its tiny directional derivative drowns in the float32 rounding of a large loss.
      const gMax = gradient.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      const d = Float32Array.from(gradient, (g) => g / gMax + (random() * 2 - 1));
      const analytic = gradient.reduce((acc, g, i) => acc + g * (d[i] as number), 0);
      const numeric = await directional(program, x, d, 0.05);
      expect(Math.abs(analytic - numeric) / Math.abs(numeric)).toBeLessThan(2e-2);
    }
    program.dispose();
  });

  it('reports α·content, β·style and tv terms that add up to the total', async () => {
    const program = createTfLossProgram(net, spec({}));
    const { terms } = await program.evaluate(gaussianNoise(12 * 10 * 3, 4, 40));
    expect(terms.content).toBeGreaterThan(0);
    expect(terms.style).toBeGreaterThan(0);
    expect(terms.tv).toBeGreaterThan(0);
    expect(terms.total).toBeCloseTo(terms.content + terms.style + terms.tv, 3);
    program.dispose();
  });

  it('is zero at the content image when only content counts', async () => {
    const s = spec({ styleWeight: 0, tvWeight: 0 });
    const program = createTfLossProgram(net, s);
    const { terms, gradient } = await program.evaluate(s.content.data);
    expect(terms.total).toBe(0);
    expect(gradient.every((g) => g === 0)).toBe(true);
    program.dispose();
  });

  it('equals the hand-assembled total from the individual losses', async () => {
    const s = spec({});
    const program = createTfLossProgram(net, s);
    const x = gaussianNoise(12 * 10 * 3, 8, 40);
    const { terms } = await program.evaluate(x);
    const expected = tf.tidy(() => {
      const img = tf.tensor4d(x, [1, 10, 12, 3]);
      const f = net.features(img, ['conv1_1', 'conv2_1'], 'avg');
      const p = net.features(tf.tensor4d(s.content.data, [1, 10, 12, 3]), ['conv2_1'], 'avg');
      const st = s.styles[0]?.image as CaffeImage;
      const a = net.features(tf.tensor4d(st.data, [1, st.height, st.width, 3]), ['conv1_1', 'conv2_1'], 'avg');
      const content =
        0.5 *
        (tf
          .sum(tf.squaredDifference(f.get('conv2_1') as tf.Tensor, p.get('conv2_1') as tf.Tensor))
          .dataSync()[0] as number);
      let style = 0;
      for (const layer of ['conv1_1', 'conv2_1'] as const) {
        const F = f.get(layer) as tf.Tensor4D;
        const S = a.get(layer) as tf.Tensor4D;
        const n = F.shape[3];
        const mx = F.shape[1] * F.shape[2];
        const ms = S.shape[1] * S.shape[2];
        // The paper's E_l with G = FᵀF and A from the style image at its own size, normalised per position count.
        const g = tf.matMul(tf.reshape(F, [mx, n]), tf.reshape(F, [mx, n]), true);
        const aa = tf.mul(tf.matMul(tf.reshape(S, [ms, n]), tf.reshape(S, [ms, n]), true), mx / ms);
        style += (0.5 * (tf.sum(tf.squaredDifference(g, aa)).dataSync()[0] as number)) / (4 * n * n * mx * mx);
      }
      return { content, style };
    });
    expect(terms.content).toBeCloseTo(expected.content, -1);
    expect(terms.content / expected.content).toBeCloseTo(1, 4);
    expect(terms.style / (1e3 * expected.style)).toBeCloseTo(1, 4);
    program.dispose();
  });
});

describe('style masks (guided Gram matrices)', () => {
  it('a mask of ones is the same loss and gradient as no mask', async () => {
    const x = gaussianNoise(12 * 10 * 3, 12, 40);
    const plain = createTfLossProgram(net, spec({}));
    const style = spec({}).styles[0] as LossSpec['styles'][number];
    const masked = createTfLossProgram(net, spec({ styles: [{ ...style, mask: new Float32Array(120).fill(1) }] }));
    const [a, b] = [await plain.evaluate(x), await masked.evaluate(x)];
    expect(b.terms.style / a.terms.style).toBeCloseTo(1, 6);
    expect(Math.max(...b.gradient.map((g, i) => Math.abs(g - (a.gradient[i] as number))))).toBeLessThan(
      1e-5 * Math.max(...a.gradient.map(Math.abs)),
    );
    plain.dispose();
    masked.dispose();
  });

  it('where the mask is 0, the style loss ignores the image (beyond the layers’ reach of the mask’s edge)', async () => {
    // 40x12, style on columns ≥ 20 only. conv2_1 sees 5 input columns either side of a pooled position's pair:
    // columns < 14 cannot reach any unmasked feature.
    const [width, height] = [40, 12];
    const mask = Float32Array.from({ length: width * height }, (_, i) => (i % width >= 20 ? 1 : 0));
    const s = spec({
      width,
      height,
      content: image(width, height, 1),
      styles: [{ image: image(30, 12, 2), weight: 1, mask }],
      contentWeight: 0,
      tvWeight: 0,
    });
    const program = createTfLossProgram(net, s);
    const x = gaussianNoise(width * height * 3, 13, 40);
    const { terms, gradient } = await program.evaluate(x);
    const column = (i: number) => Math.floor(i / 3) % width;
    expect(terms.style).toBeGreaterThan(0);
    expect(gradient.every((g, i) => column(i) >= 14 || g === 0)).toBe(true);
    expect(gradient.some((g, i) => column(i) >= 20 && g !== 0)).toBe(true);
    const changed = x.map((v, i) => (column(i) < 14 ? v + 50 : v));
    expect((await program.evaluate(changed)).terms.style).toBe(terms.style);
    program.dispose();

    const none = createTfLossProgram(net, {
      ...s,
      styles: [{ ...(s.styles[0] as LossSpec['styles'][number]), mask: new Float32Array(width * height) }],
    });
    const empty = await none.evaluate(x);
    expect(empty.terms.style).toBe(0);
    expect(empty.gradient.every((g) => g === 0)).toBe(true);
    none.dispose();
  });

  it('styles that share a mask blend; different masks add their regions’ losses', async () => {
    const x = gaussianNoise(12 * 10 * 3, 14, 40);
    const left = Float32Array.from({ length: 120 }, (_, i) => (i % 12 < 6 ? 1 : 0));
    const right = left.map((v) => 1 - v);
    const [a, b] = [image(14, 9, 2), image(8, 8, 5)];
    const style = async (styles: LossSpec['styles']) => {
      const program = createTfLossProgram(net, spec({ styles, contentWeight: 0, tvWeight: 0 }));
      const { terms } = await program.evaluate(x);
      program.dispose();
      return terms.style;
    };
    const both = await style([
      { image: a, weight: 1, mask: left },
      { image: b, weight: 3, mask: right },
    ]);
    const onlyLeft = await style([{ image: a, weight: 1, mask: left }]);
    const onlyRight = await style([{ image: b, weight: 1, mask: right }]);
    expect(both / (onlyLeft + onlyRight)).toBeCloseTo(1, 5);
    // Same mask: one region with the blended target, as without masks.
    const blendedMasked = await style([
      { image: a, weight: 1, mask: left },
      { image: b, weight: 3, mask: left },
    ]);
    expect(blendedMasked).not.toBeCloseTo(onlyLeft, 0);
  });
});
