import { syntheticWeights } from '@impasto/weights/testing';
import type { Tensor } from 'onnxruntime-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LossLayout } from '../compute/loss-layout.js';
import { convChannels, featureSize } from '../network/layers.js';
import { gaussianNoise } from '../run/random.js';
import { relativeL2 } from '../testing/relative-error.js';
import { noiseImage, softMask } from '../testing/tiling-equivalence-cases.js';
import type { GradientStep, TileRunner } from '../tiling/tile-runner.js';
import { createOnnxTileRunner } from './onnx-tile-runner.js';
import { loadOrt, NODE_TILE_CONV, onnxAvailable } from './ort-node.js';

const ORT = await onnxAvailable();
if (!ORT) console.warn('skipping the ONNX tile runner tests: onnxruntime-node is not installed or does not load here');

const layout: LossLayout = {
  contentLayers: ['conv2_2'],
  styleLayers: ['conv1_1', 'conv2_1'],
  styleRegions: [{ masked: true }, { masked: false }],
  pooling: 'avg',
};
const tile = noiseImage(20, 16, 3);
const at = (layer: (typeof layout.styleLayers)[number]) => featureSize(layer, tile.height, tile.width);

let runner: TileRunner<Tensor>;
beforeAll(async () => {
  if (!ORT) return;
  runner = createOnnxTileRunner(await loadOrt(), syntheticWeights('conv2_2', 5), layout, {}, NODE_TILE_CONV);
});
afterAll(() => runner?.dispose());

/** A symmetric N x N matrix of noise. */
function symmetric(n: number, seed: number): Float32Array {
  const a = gaussianNoise(n * n, seed, 1e-3);
  return Float32Array.from(a, (v, i) => (v + (a[(i % n) * n + Math.floor(i / n)] as number)) / 2);
}

describe.skipIf(!ORT)('the ONNX tile runner', () => {
  it("gradientWithGrams: the tile's Grams as grams gives them, and the gradient of seeds D + k (G + Gᵀ) as gradient gives it", async () => {
    const styleMasks = layout.styleLayers.map((l, i) => [
      softMask(at(l).width, at(l).height, 10 + i),
      new Float32Array(at(l).width * at(l).height).fill(1),
    ]);
    const content = featureSize('conv2_2', tile.height, tile.width);
    const step = (seeds: Float32Array[][]): GradientStep<Tensor> => ({
      styleMasks,
      contentMasks: [softMask(content.width, content.height, 20)],
      contentTargets: [],
      styleSeeds: seeds,
      contentWeight: 0.7,
    });
    const targets = await runner.contentFeatures(noiseImage(20, 16, 4));
    const withTargets = (s: GradientStep<Tensor>) => ({ ...s, contentTargets: targets });
    const seeds = layout.styleLayers.map((l, i) =>
      [0, 1].map((r) => symmetric(convChannels(l).outChannels, 30 + 2 * i + r)),
    );
    const scales = [
      [2e-4, 5e-5],
      [1e-4, 3e-5],
    ];

    const fused = await runner.gradientWithGrams?.(tile, withTargets(step(seeds)), scales);
    const grams = await runner.grams(tile, styleMasks);
    // The same seeds by hand: D + k (G + Gᵀ), in float64.
    const summed = seeds.map((perRegion, i) =>
      perRegion.map((d, r) => {
        const g = grams[i]?.[r] as Float32Array;
        const n = Math.round(Math.sqrt(d.length));
        const k = scales[i]?.[r] as number;
        return Float32Array.from(
          d,
          (v, j) => v + k * ((g[j] as number) + (g[(j % n) * n + Math.floor(j / n)] as number)),
        );
      }),
    );
    const plain = await runner.gradient(tile, withTargets(step(summed)));
    const without = await runner.gradient(tile, withTargets(step(seeds)));
    runner.disposeTargets(targets);

    expect(fused).toBeDefined();
    grams.forEach((perRegion, i) => {
      perRegion.forEach((g, r) => {
        expect(relativeL2(fused?.grams[i]?.[r] as Float32Array, g)).toBeLessThan(1e-6);
      });
    });
    // The seeds' own-Gram share is not small: without it the gradient differs clearly.
    expect(relativeL2(without.gradient, plain.gradient)).toBeGreaterThan(0.05);
    expect(relativeL2(fused?.gradient as Float32Array, plain.gradient)).toBeLessThan(1e-5);
    expect(Math.abs((fused?.content as number) - plain.content) / plain.content).toBeLessThan(1e-6);
  });
});
