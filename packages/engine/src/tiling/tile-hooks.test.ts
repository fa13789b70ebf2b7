// The tiled program's hooks on tfjs-wasm: each tile reported before it runs, in order, per pass; an abort between
// tiles ends the evaluation with the cancellation error before the remaining tiles run, with no tensor left behind.
import { isCancellation } from '@impasto/errors';
import { syntheticWeights } from '@impasto/weights/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { layoutOf } from '../compute/loss-layout.js';
import type { LossProgramHooks, LossSpec, TilePass, TileStep } from '../compute/loss-program.js';
import { createVgg19, type Vgg19 } from '../network/vgg19.js';
import { equivalenceSpec, evaluationPoint } from '../testing/tiling-equivalence-cases.js';
import { tf } from '../tfjs/tf.js';
import { createTfProgram } from '../tfjs/tf-loss-program.js';
import { createTfTileRunner, type FeatureData } from '../tfjs/tf-tile-runner.js';
import { planTiles, tileCount } from './plan.js';
import type { TileRunner } from './tile-runner.js';
import { createTiledLossProgram } from './tiled-loss-program.js';

let net: Vgg19;
beforeAll(async () => {
  await tf.setBackend('wasm');
  net = createVgg19(syntheticWeights('conv2_1', 3));
  return () => net.dispose();
});
let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** 31x27 to conv2_1 in tiles of 16: 4 x 3 tiles; the style image (38x24) 5 x 3. */
const spec: LossSpec = equivalenceSpec(31, 27, ['conv2_1'], ['conv1_1', 'conv2_1'], { tileSize: 16 });
const SIDE = 16;
const layers = [...spec.contentLayers, ...spec.styleLayers];
const imageTiles = tileCount(planTiles(spec.width, spec.height, layers, SIDE));
const styleTiles = tileCount(planTiles(38, 24, layers, SIDE));

/** The tfjs runner, counting the tiles each pass runs. */
function countingRunner() {
  const runs = { grams: 0, contentFeatures: 0, gradient: 0 };
  const inner = createTfTileRunner(net, layoutOf(spec));
  const runner: TileRunner<FeatureData> = {
    ...inner,
    grams(tile, masks) {
      runs.grams++;
      return inner.grams(tile, masks);
    },
    contentFeatures(tile) {
      runs.contentFeatures++;
      return inner.contentFeatures(tile);
    },
    gradient(tile, step) {
      runs.gradient++;
      return inner.gradient(tile, step);
    },
  };
  return { runs, runner };
}

const steps = (pass: TilePass, count: number): TileStep[] =>
  Array.from({ length: count }, (_, k) => ({ pass, tile: k + 1, tiles: count }));

describe('a tiled program reports its tiles', () => {
  it('each tile of each pass, k of n in order: the targets once, then both passes per evaluation', async () => {
    expect([imageTiles, styleTiles]).toEqual([12, 15]);
    const seen: TileStep[] = [];
    const program = createTfProgram(net, spec, 'wasm', { onTile: (t) => seen.push(t) });
    try {
      const x = evaluationPoint(spec);
      await program.evaluate(x);
      await program.evaluate(x);
    } finally {
      program.dispose();
    }
    const evaluation = [...steps('style-statistics', imageTiles), ...steps('gradient', imageTiles)];
    expect(seen).toEqual([...steps('targets', styleTiles + imageTiles), ...evaluation, ...evaluation]);
  });

  it('an untiled program reports none', async () => {
    const seen: TileStep[] = [];
    const { tileSize: _, ...untiled } = spec;
    const program = createTfProgram(net, untiled, 'wasm', { onTile: (t) => seen.push(t) });
    try {
      await program.evaluate(evaluationPoint(spec));
    } finally {
      program.dispose();
    }
    expect(seen).toEqual([]);
  });
});

describe('aborting between tiles', () => {
  /** Aborts when `pass` reaches tile 2 (of the targets, or of the first evaluation); returns the tiles run. */
  async function abortAt(pass: TilePass) {
    const controller = new AbortController();
    const { runs, runner } = countingRunner();
    const hooks: LossProgramHooks = {
      signal: controller.signal,
      onTile: (t) => {
        if (t.pass === pass && t.tile === 2) controller.abort();
      },
    };
    const program = createTiledLossProgram(spec, layoutOf(spec), runner, SIDE, hooks);
    const x = evaluationPoint(spec);
    try {
      const error = await program.evaluate(x).catch((e: unknown) => e);
      expect(isCancellation(error)).toBe(true);
      expect(error).toMatchObject({ code: 'cancelled' });
    } finally {
      program.dispose();
    }
    return runs;
  }

  it('in the style statistics pass: one tile ran, no gradient tile', async () => {
    const runs = await abortAt('style-statistics');
    expect(runs).toEqual({ grams: styleTiles + 1, contentFeatures: imageTiles, gradient: 0 });
  });

  it('in the gradient pass: one gradient tile ran', async () => {
    const runs = await abortAt('gradient');
    expect(runs).toEqual({ grams: styleTiles + imageTiles, contentFeatures: imageTiles, gradient: 1 });
  });

  it('while the targets are computed: one target tile ran', async () => {
    const runs = await abortAt('targets');
    expect(runs).toEqual({ grams: 1, contentFeatures: 0, gradient: 0 });
  });

  it('after the content targets are kept: they are freed on dispose', async () => {
    const controller = new AbortController();
    const { runs, runner } = countingRunner();
    const program = createTiledLossProgram(spec, layoutOf(spec), runner, SIDE, {
      signal: controller.signal,
      onTile: (t) => {
        if (t.pass === 'targets' && t.tile === styleTiles + 3) controller.abort();
      },
    });
    const error = await program.evaluate(evaluationPoint(spec)).catch((e: unknown) => e);
    program.dispose();
    expect(isCancellation(error)).toBe(true);
    expect(runs).toEqual({ grams: styleTiles, contentFeatures: 2, gradient: 0 });
  });
});
