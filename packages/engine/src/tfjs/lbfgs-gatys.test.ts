import { syntheticWeights } from '@impasto/weights/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LossSpec } from '../compute/loss-program.js';
import { createVgg19, type Vgg19 } from '../network/vgg19.js';
import { createAdam } from '../optim/adam.js';
import { createLbfgs } from '../optim/lbfgs.js';
import type { Objective, Optimizer } from '../optim/types.js';
import { gaussianNoise } from '../run/random.js';
import { tf } from './tf.js';
import { createTfLossProgram } from './tf-loss-program.js';

/** L-BFGS on a small Gatys problem (16×12, synthetic VGG19 to conv2_1, tfjs-cpu): the real loss, tiny. */
let net: Vgg19;
beforeAll(async () => {
  await tf.setBackend('cpu');
  net = createVgg19(syntheticWeights('conv2_1', 5));
});
afterAll(() => net.dispose());

const spec: LossSpec = {
  width: 16,
  height: 12,
  content: { width: 16, height: 12, data: gaussianNoise(16 * 12 * 3, 1, 40) },
  styles: [{ image: { width: 20, height: 14, data: gaussianNoise(20 * 14 * 3, 2, 60) }, weight: 1 }],
  contentLayers: ['conv2_1'],
  styleLayers: ['conv1_1', 'conv2_1'],
  styleLayerWeights: [0.5, 0.5],
  contentWeight: 1,
  styleWeight: 1e3,
  tvWeight: 0,
  pooling: 'avg',
};

/** Runs `steps` steps from the same noise start; returns the loss after each and the evaluations used. */
async function run(optimizer: Optimizer, steps: number) {
  const program = createTfLossProgram(net, spec);
  let evaluations = 0;
  const objective: Objective = async (x) => {
    evaluations++;
    const { terms, gradient } = await program.evaluate(x);
    return { loss: terms.total, gradient };
  };
  try {
    const x = gaussianNoise(16 * 12 * 3, 3, 5);
    const initial = (await program.evaluate(x)).terms.total;
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await optimizer.step(x, objective)).loss);
    return { initial, losses, evaluations };
  } finally {
    program.dispose();
  }
}

describe('L-BFGS on a small Gatys problem', () => {
  it('never raises the loss, takes about one evaluation per step, and beats Adam at equal evaluations', async () => {
    const lbfgs = await run(createLbfgs({ history: 20, firstStepMaxMove: 8 }), 40);
    let previous = lbfgs.initial;
    for (const loss of lbfgs.losses) {
      expect(loss).toBeLessThanOrEqual(previous);
      previous = loss;
    }
    // The first step's line search may probe a few times; after that the unit step is nearly always taken.
    expect(lbfgs.evaluations).toBeLessThanOrEqual(40 * 1.25);
    expect(lbfgs.losses.at(-1)).toBeLessThan(lbfgs.initial / 100);
    // Adam (step 2 pixel units) with the same number of evaluations ends far higher.
    const adam = await run(createAdam({ learningRate: 2 }), lbfgs.evaluations);
    expect(lbfgs.losses.at(-1)).toBeLessThan((adam.losses.at(-1) as number) / 3);
  });
});
