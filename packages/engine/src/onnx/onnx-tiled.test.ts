import { isCancellation } from '@impasto/errors';
import { syntheticWeights } from '@impasto/weights/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evaluation, LossSpec, LossTerms, TileStep } from '../compute/loss-program.js';
import { expectSameEvaluation, expectSameTerms } from '../testing/expect-same.js';
import { equivalenceSpec, evaluationPoint, variations } from '../testing/tiling-equivalence-cases.js';
import { planTiles, tileCount } from '../tiling/plan.js';
import type { OnnxLossProgramFactory } from './onnx-loss-program.js';
import { createOnnxLossProgramFactory, onnxAvailable } from './ort-node.js';

const ORT = await onnxAvailable();
if (!ORT) console.warn('skipping the tiled ONNX tests: onnxruntime-node is not installed or does not load here');

const PAPER = {
  content: ['conv4_2' as const],
  style: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'] as const,
};
const SHALLOW = { content: ['conv3_2' as const], style: ['conv1_1', 'conv2_1', 'conv3_1'] as const };

let factory: OnnxLossProgramFactory;
beforeAll(async () => {
  if (ORT) factory = await createOnnxLossProgramFactory(syntheticWeights('conv5_1', 3));
});
afterAll(async () => {
  await factory?.dispose();
});

/**
 * The evaluation of `spec` at x; a tiled program's loss-only evaluation (no gradient pass) must give its terms, and an
 * evaluation into a caller's buffer (filled with NaN first) must give the same in that buffer.
 */
async function evaluate(spec: LossSpec, x: Float32Array): Promise<Evaluation> {
  const program = await factory.prepare(spec);
  try {
    const evaluation = await program.evaluate(x);
    const into = new Float32Array(x.length).fill(Number.NaN);
    const again = await program.evaluate(x, into);
    expect(again.gradient).toBe(into);
    expectSameEvaluation(again, evaluation);
    if (spec.tileSize !== undefined) {
      expect(program.evaluateLoss).toBeDefined();
      expectSameTerms((await program.evaluateLoss?.(x)) as LossTerms, evaluation.terms, 'loss only: ');
    }
    return evaluation;
  } finally {
    program.dispose();
  }
}

/** The untiled evaluation against the tiled one at each tile size (each asserted to need several tiles). */
async function expectTiledSame(spec: LossSpec, sides: number[]) {
  const x = evaluationPoint(spec);
  const layers = [...spec.contentLayers, ...spec.styleLayers];
  const untiled = await evaluate(spec, x);
  for (const side of sides) {
    expect(tileCount(planTiles(spec.width, spec.height, layers, side))).toBeGreaterThan(1);
    expectSameEvaluation(await evaluate({ ...spec, tileSize: side }, x), untiled);
  }
}

describe.skipIf(!ORT)('tiled loss on ONNX Runtime equals the untiled one', () => {
  it('paper layers to conv5_1 (margins of 80 px), odd 227x181, tiles of 176', async () => {
    await expectTiledSame(equivalenceSpec(227, 181, PAPER.content, [...PAPER.style]), [176]);
  }, 400_000); // eight sessions to build at full depth: minutes on a busy 2-core machine

  it.each(variations(75, 61))('shallow layers, odd 75x61, tiles of 40: %s', async (_, overrides) => {
    await expectTiledSame(equivalenceSpec(75, 61, SHALLOW.content, [...SHALLOW.style], overrides), [40]);
  });

  it('content only and style only, shallow, 64x48, tiles of 36 and 48', async () => {
    await expectTiledSame(equivalenceSpec(64, 48, SHALLOW.content, [...SHALLOW.style], { styleWeight: 0 }), [36, 48]);
    await expectTiledSame(equivalenceSpec(64, 48, SHALLOW.content, [...SHALLOW.style], { contentWeight: 0 }), [36]);
  });

  it('tiles when the untiled loss would not fit maxMemory', async () => {
    const spec = equivalenceSpec(75, 61, SHALLOW.content, [...SHALLOW.style]);
    const x = evaluationPoint(spec);
    // 75x61 shallow: ~1 KiB of activations per pixel × 4 ≈ 18 MiB untiled; 2 MiB forces tiles of ~45 px.
    expectSameEvaluation(await evaluate({ ...spec, maxMemory: 2 * 1024 ** 2 }, x), await evaluate(spec, x));
  });
});

describe.skipIf(!ORT)('tiles on ONNX Runtime: reports and cancellation', () => {
  it('an abort from onTile on gradient tile 2 rejects with the cancellation error, no later tile starts, and the factory runs on', async () => {
    const spec = equivalenceSpec(64, 48, SHALLOW.content, [...SHALLOW.style], { tileSize: 36 });
    const tiles = tileCount(planTiles(64, 48, [...spec.contentLayers, ...spec.styleLayers], 36));
    expect(tiles).toBeGreaterThan(2);
    const x = evaluationPoint(spec);
    const controller = new AbortController();
    const seen: TileStep[] = [];
    const program = factory.create(spec, {
      signal: controller.signal,
      onTile: (t) => {
        seen.push(t);
        if (t.pass === 'gradient' && t.tile === 2) controller.abort();
      },
    });
    const error = await program.evaluate(x).catch((e: unknown) => e);
    program.dispose();
    expect(isCancellation(error)).toBe(true);
    expect(error).toMatchObject({ code: 'cancelled' });
    // Each tile is reported before it starts: the last report is the aborted tile, so one gradient tile ran. Pass 1
    // skips the last tile, whose Grams come with its gradient (the first of pass 2).
    const image = seen.filter((t) => t.pass !== 'targets');
    expect(image.map((t) => `${t.pass} ${t.tile}/${t.tiles}`)).toEqual([
      ...Array.from({ length: tiles - 1 }, (_, k) => `style-statistics ${k + 1}/${tiles - 1}`),
      `gradient 1/${tiles}`,
      `gradient 2/${tiles}`,
    ]);
    const { tileSize: _, ...untiled } = spec;
    expectSameEvaluation(await evaluate(spec, x), await evaluate(untiled, x));
  });
});
