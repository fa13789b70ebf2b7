import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tfjs/tf.js';
import { contentLoss } from './content.js';
import { gramOverM } from './gram.js';
import { guidedStyleLayerLoss, styleLayerLoss } from './style.js';
import { totalVariationLoss } from './total-variation.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A [1, 2, 2, 2] feature map: positions p0..p3 (row-major), channels (a, b).
const F = [1, 2, 3, 0, 0, 1, 2, 2];

describe('losses against hand-computed values', () => {
  it('Gram matrix G = FᵀF, divided by M', () => {
    // a = [1, 3, 0, 2], b = [2, 0, 1, 2]: a·a = 14, a·b = 6, b·b = 9; M = 4.
    const g = gramOverM(tf.tensor4d(F, [1, 2, 2, 2]));
    expect(g.shape).toEqual([2, 2]);
    expect(Array.from(g.dataSync())).toEqual([14 / 4, 6 / 4, 6 / 4, 9 / 4]);
  });

  it('content loss is 1/2 Σ (F − P)²', () => {
    const P = [0, 2, 3, 1, 1, 1, 2, 0];
    // differences: 1, 0, 0, -1, -1, 0, 0, 2 -> squares sum to 7
    const l = contentLoss(tf.tensor4d(F, [1, 2, 2, 2]), tf.tensor4d(P, [1, 2, 2, 2]));
    expect(l.dataSync()[0]).toBeCloseTo(3.5, 6);
  });

  it('style loss is 1/(4 N² M²) Σ (G − A)²', () => {
    // G = [[14, 6], [6, 9]], A = [[10, 6], [6, 12]] -> Σ(G−A)² = 16 + 0 + 0 + 9 = 25; N = 2, M = 4.
    const a = tf.tensor2d([10, 6, 6, 12], [2, 2]);
    const l = styleLayerLoss(tf.tensor4d(F, [1, 2, 2, 2]), tf.div(a, 4) as tf.Tensor2D);
    expect(l.dataSync()[0]).toBeCloseTo(25 / (4 * 4 * 16), 7);
  });

  it('guided style loss (Gatys 2017): Grams of the masked features over Σm², scaled by Σm²/M', () => {
    // Mask (1, 1, 0, 0): a = [1, 3, 0, 0], b = [2, 0, 0, 0] -> G_m = [[10, 2], [2, 4]], M_m = 2, G_m/M_m =
    // [[5, 1], [1, 2]]; with A/M = [[4, 1], [1, 3]]: Σ(G_m/M_m − A/M)² = 2; E = (2/4) · 2 / (4·4) = 1/16.
    const features = tf.tensor4d(F, [1, 2, 2, 2]);
    const target = tf.tensor2d([4, 1, 1, 3], [2, 2]);
    const half = tf.tensor4d([1, 1, 0, 0], [1, 2, 2, 1]);
    expect(guidedStyleLayerLoss(features, target, half, 2).dataSync()[0]).toBeCloseTo(1 / 16, 7);
    const ones = tf.tensor4d([1, 1, 1, 1], [1, 2, 2, 1]);
    const plain = styleLayerLoss(features, target).dataSync()[0] as number;
    expect(guidedStyleLayerLoss(features, target, ones, 4).dataSync()[0]).toBeCloseTo(plain, 7);
    const zeros = tf.tensor4d([0, 0, 0, 0], [1, 2, 2, 1]);
    expect(guidedStyleLayerLoss(features, target, zeros, 0).dataSync()[0]).toBe(0);
  });

  it('total variation sums squared neighbour differences', () => {
    // One channel 2x3: [[1, 2, 4], [1, 5, 4]]: vertical (0, 3, 0) -> 9; horizontal (1, 2), (4, -1) -> 1+4+16+1 = 22.
    const x = tf.tensor4d([1, 2, 4, 1, 5, 4], [1, 2, 3, 1]);
    expect(totalVariationLoss(x).dataSync()[0]).toBeCloseTo(31, 6);
  });
});
