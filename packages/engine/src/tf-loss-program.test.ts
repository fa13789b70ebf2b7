import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaffeImage } from './image/caffe.js';
import type { LossSpec } from './loss-program.js';
import { syntheticWeights } from './network/synthetic-weights.js';
import { createVgg19, type Vgg19 } from './network/vgg19.js';
import { createRandom, gaussianNoise } from './random.js';
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
