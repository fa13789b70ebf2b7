import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Evaluation, LossSpec } from '../loss-program.js';
import type { ConvLayerName } from '../network/layers.js';
import { syntheticWeights } from '../network/synthetic-weights.js';
import { createVgg19 } from '../network/vgg19.js';
import { layoutOf } from '../onnx/spec-check.js';
import { tf } from '../tf.js';
import { createTfLossProgram } from '../tf-loss-program.js';
import { equivalenceSpec, evaluationPoint, variations } from './equivalence-cases.js';
import { expectSameEvaluation } from './expect-same.js';
import { planTiles, tileCount } from './plan.js';
import { createTfTileRunner } from './tf-tile-runner.js';
import { createTiledLossProgram } from './tiled-loss-program.js';

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

/** The untiled evaluation, then the tiled one per tile side (each side asserted to need several tiles). */
async function evaluations(weightsUpTo: ConvLayerName, spec: LossSpec, sides: number[]): Promise<Evaluation[]> {
  const net = createVgg19(syntheticWeights(weightsUpTo, 3));
  const x = evaluationPoint(spec);
  const layout = layoutOf(spec);
  const programs = [
    createTfLossProgram(net, spec),
    ...sides.map((side) => createTiledLossProgram(spec, layout, createTfTileRunner(net, layout), side)),
  ];
  try {
    const out: Evaluation[] = [];
    for (const p of programs) out.push(await p.evaluate(x));
    return out;
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
    const [untiled, tiled] = await evaluations('conv2_1', spec, [12]);
    expectSameEvaluation(tiled as Evaluation, untiled as Evaluation);
  });

  it('to conv2_1, odd 29x23, tiles of 13, 17 and 24', async () => {
    const spec = shallow(29, 23);
    expect([13, 17, 24].map((side) => tiles(spec, side))).toEqual([20, 9, 2]);
    const [untiled, ...tiled] = await evaluations('conv2_1', spec, [13, 17, 24]);
    for (const t of tiled) expectSameEvaluation(t, untiled as Evaluation);
  });

  it('to conv3_2 (margins of 16 px), 77x53, tiles of 40: as one tile, and near the untiled float32 sums', async () => {
    // tfjs-wasm sums the untiled style term in float32, 1.5–6e-5 off float64 sums (onnx/README.md); the tiled
    // program sums Grams and terms in float64, so it is held to 1e-5 against itself as one tile, 1e-4 against that.
    const spec = equivalenceSpec(77, 53, ['conv3_2'], ['conv1_1', 'conv2_1', 'conv3_1']);
    expect([tiles(spec, 40), tiles(spec, 100)]).toEqual([18, 1]);
    const [untiled, tiled, single] = (await evaluations('conv3_2', spec, [40, 100])) as Evaluation[];
    expectSameEvaluation(tiled as Evaluation, single as Evaluation);
    expect(Math.abs((tiled as Evaluation).terms.style / (untiled as Evaluation).terms.style - 1)).toBeLessThan(1e-4);
    expectSameEvaluation({ ...(tiled as Evaluation), terms: (untiled as Evaluation).terms }, untiled as Evaluation);
  });
});
