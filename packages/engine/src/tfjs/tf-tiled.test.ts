import { syntheticWeights } from '@impasto/weights/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { layoutOf } from '../compute/loss-layout.js';
import type { Evaluation, LossSpec, LossTerms } from '../compute/loss-program.js';
import type { ConvLayerName } from '../network/layers.js';
import { createVgg19 } from '../network/vgg19.js';
import { expectSameEvaluation, expectSameTerms } from '../testing/expect-same.js';
import { relativeL2 } from '../testing/relative-error.js';
import { equivalenceSpec, evaluationPoint, variations } from '../testing/tiling-equivalence-cases.js';
import { planTiles, tileCount } from '../tiling/plan.js';
import { createTiledLossProgram } from '../tiling/tiled-loss-program.js';
import { tf } from './tf.js';
import { createTfLossProgram } from './tf-loss-program.js';
import { createTfTileRunner } from './tf-tile-runner.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/**
 * The untiled evaluation, the tiled one as a single tile, then the tiled one per tile side. tfjs-wasm sums the
 * untiled terms in float32, 1.5–6e-5 off float64 sums (onnx/README.md); the tiled program sums Grams and terms in
 * float64. So tiling itself is held to 1e-5 / 1e-4 against the single tile, and the single tile (the same loss
 * through the tile runner's second-pass formulation) to 1e-4 / 1e-4 against the untiled program.
 */
async function expectTiledSame(weightsUpTo: ConvLayerName, spec: LossSpec, sides: number[]): Promise<void> {
  const net = createVgg19(syntheticWeights(weightsUpTo, 3));
  const x = evaluationPoint(spec);
  const layout = layoutOf(spec);
  const whole = Math.max(spec.width, spec.height);
  const programs = [
    createTfLossProgram(net, spec),
    ...[whole, ...sides].map((side) => createTiledLossProgram(spec, layout, createTfTileRunner(net, layout), side)),
  ];
  try {
    const out: Evaluation[] = [];
    for (const p of programs) {
      const evaluation = await p.evaluate(x);
      // The loss alone (no backward pass untiled, no gradient pass tiled) gives the same terms.
      expectSameTerms((await p.evaluateLoss?.(x)) as LossTerms, evaluation.terms, 'loss only: ');
      out.push(evaluation);
    }
    const [reference, one, ...rest] = out as [Evaluation, Evaluation, ...Evaluation[]];
    for (const term of ['content', 'style', 'tv', 'total'] as const) {
      expect(Math.abs(one.terms[term] / reference.terms[term] - 1), term).toBeLessThan(1e-4);
    }
    expect(relativeL2(one.gradient, reference.gradient)).toBeLessThan(1e-4);
    for (const t of rest) expectSameEvaluation(t, one);
  } finally {
    for (const p of programs) p.dispose();
    net.dispose();
  }
}

function tiles(spec: LossSpec, side: number): number {
  const layout = layoutOf(spec);
  return tileCount(planTiles(spec.width, spec.height, [...layout.contentLayers, ...layout.styleLayers], side));
}

describe('tiled loss on tfjs-wasm equals the untiled one', () => {
  const shallow = (w: number, h: number, o: Partial<LossSpec> = {}) =>
    equivalenceSpec(w, h, ['conv2_1'], ['conv1_1', 'conv2_1'], o);

  it.each(variations(31, 27))('to conv2_1, 31x27, tiles of 12: %s', async (_, overrides) => {
    const spec = shallow(31, 27, overrides);
    expect(tiles(spec, 12)).toBe(30);
    await expectTiledSame('conv2_1', spec, [12]);
  });

  it('to conv2_1, odd 29x23, tiles of 13, 17 and 24', async () => {
    const spec = shallow(29, 23);
    expect([13, 17, 24].map((side) => tiles(spec, side))).toEqual([20, 9, 2]);
    await expectTiledSame('conv2_1', spec, [13, 17, 24]);
  });

  it('to conv3_2 (margins of 16 px), 77x53, tiles of 40', async () => {
    const spec = equivalenceSpec(77, 53, ['conv3_2'], ['conv1_1', 'conv2_1', 'conv3_1']);
    expect(tiles(spec, 40)).toBe(18);
    await expectTiledSame('conv3_2', spec, [40]);
  });
});
