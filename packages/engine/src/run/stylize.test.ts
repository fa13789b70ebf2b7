import { describe, expect, it } from 'vitest';
import type { LossProgram, LossSpec } from '../compute/loss-program.js';
import { resizeImage } from '../image/resize.js';
import type { RgbaImage } from '../image/rgba.js';
import { lbfgsHistoryFor } from '../memory/optimizer-memory.js';
import { resolveOptions } from '../options.js';
import { gaussianNoise } from './random.js';
import { NOISE_STD, runStylization, type StylizeProgress } from './stylize.js';
import { nextStageStart } from './stylize-inputs.js';

function flatImage(width: number, height: number, rgb: [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([...rgb, 255], i);
  return { width, height, data };
}

/**
 * A stand-in loss, ½‖x − t‖² with a target t that depends on the stage: a horizontal ramp in the first stage,
 * −30 everywhere after. Records each stage's spec and the first point it was evaluated at.
 */
function quadraticFactory() {
  const stages: { spec: LossSpec; first: Float32Array | null }[] = [];
  const factory = (spec: LossSpec): LossProgram => {
    const stage = { spec, first: null as Float32Array | null };
    const index = stages.push(stage) - 1;
    const target = new Float32Array(spec.width * spec.height * 3);
    for (let i = 0; i < target.length; i++) target[i] = index === 0 ? (Math.floor(i / 3) % spec.width) * 4 - 40 : -30;
    return {
      async evaluate(x) {
        stage.first ??= x.slice();
        const gradient = new Float32Array(x.length);
        let loss = 0;
        for (let i = 0; i < x.length; i++) {
          const d = (x[i] as number) - (target[i] as number);
          gradient[i] = d;
          loss += 0.5 * d * d;
        }
        return { terms: { total: loss, content: loss, style: 0, tv: 0 }, gradient };
      },
      dispose() {},
    };
  };
  return { stages, factory };
}

const content = flatImage(40, 30, [120, 100, 80]);
/** The stand-in losses ignore layers; conv1_1 (no pooling) lets these tiny sizes pass the engine's size check. */
const TINY = { contentLayers: ['conv1_1'], styleLayers: ['conv1_1'] } as const;
const style = flatImage(200, 100, [10, 200, 30]);

describe('runStylization coarse-to-fine', () => {
  it('stage 2 starts from the upsampled stage-1 result; progress counts over both stages', async () => {
    const { stages, factory } = quadraticFactory();
    const progress: StylizeProgress[] = [];
    const result = await runStylization(
      {
        content,
        styles: [style],
        options: { ...TINY, size: 40, coarseToFine: 'on', scales: [20, 40], stageIterations: [25, 3], seed: 1 },
      },
      factory,
      { onProgress: (p) => progress.push(p) },
    );
    expect(stages.map((s) => [s.spec.width, s.spec.height])).toEqual([
      [20, 15],
      [40, 30],
    ]);
    expect(result.stages.map((s) => [s.index, s.width, s.height])).toEqual([
      [1, 20, 15],
      [2, 40, 30],
    ]);
    // Stage 1 converges onto its ramp; stage 2's first point is that ramp, upsampled (not noise, not −30).
    const ramp = new Float32Array(20 * 15 * 3).map((_, i) => (Math.floor(i / 3) % 20) * 4 - 40);
    const upsampled = resizeImage({ width: 20, height: 15, channels: 3, data: ramp }, 40, 30).data;
    const first = stages[1]?.first as Float32Array;
    expect(first.length).toBe(upsampled.length);
    let worst = 0;
    for (let i = 0; i < first.length; i++)
      worst = Math.max(worst, Math.abs((first[i] as number) - (upsampled[i] as number)));
    expect(worst).toBeLessThan(0.05);
    // Stage 1 met its target within a few iterations (converged): the iterations it left go to stage 2, and the
    // numbering runs on without a gap.
    const used = result.stages[0]?.iterations as number;
    expect(used).toBeLessThan(25);
    expect(result.stages[1]?.iterations).toBe(3 + 25 - used);
    const last = progress.at(-1) as StylizeProgress;
    expect(last.iterations).toBe(28);
    expect(last.stage?.index).toBe(2);
    expect(progress.filter((p) => p.stage?.index === 2).map((p) => p.iteration)[0]).toBe(used + 1);
    expect(result.image.width).toBe(40);
  });

  it('an abort in stage 2 rejects with AbortError', async () => {
    const { factory } = quadraticFactory();
    const controller = new AbortController();
    const run = runStylization(
      {
        content,
        styles: [style],
        options: { ...TINY, size: 40, coarseToFine: 'on', scales: 2, stageIterations: [3, 50] },
      },
      factory,
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.iteration === 5) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('runStylization evaluation counts', () => {
  it('onStart reports iteration 0 (the starting image, one evaluation), progress every evaluation after; the result agrees', async () => {
    const { factory } = quadraticFactory();
    let calls = 0;
    const counting = (spec: LossSpec): LossProgram => {
      const program = factory(spec);
      return { evaluate: (x) => (calls++, program.evaluate(x)), dispose: () => program.dispose() };
    };
    const progress: StylizeProgress[] = [];
    const result = await runStylization(
      {
        content,
        styles: [style],
        options: { ...TINY, size: 40, coarseToFine: 'on', scales: [20, 40], stageIterations: [2, 2] },
      },
      counting,
      { onStart: (p) => progress.push(p), onProgress: (p) => progress.push(p) },
    );
    const first = progress[0] as StylizeProgress;
    expect([first.iteration, first.evaluations, first.stage?.index]).toEqual([0, 1, 1]);
    expect(first.remainingMs).toBeGreaterThanOrEqual(0);
    // The noise start's loss, ½‖x − ramp‖², is the initial loss of the result too.
    expect(result.initialLoss).toEqual(first.loss);
    expect(progress.map((p) => p.iteration)).toEqual([0, 1, 2, 3, 4]);
    // Counts rise with each step, and stage 2's start costs one more (4 steps, 2 starts).
    const counts = progress.map((p) => p.evaluations);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1] as number);
    expect(result.evaluations).toBe(calls);
    expect(counts.at(-1)).toBe(calls);
    expect(calls).toBeGreaterThanOrEqual(4 + 2);
    // The loss reported for each iteration is the accepted point's: never above the one before within a stage.
    const stage1 = progress.filter((p) => p.stage?.index === 1).map((p) => p.loss.total);
    for (let i = 1; i < stage1.length; i++) expect(stage1[i]).toBeLessThanOrEqual(stage1[i - 1] as number);
  });
});

describe('the starting image', () => {
  const firstPoint = async (options: object) => {
    const { stages, factory } = quadraticFactory();
    await runStylization(
      { content, styles: [style], options: { ...TINY, size: 40, iterations: 1, ...options } },
      factory,
    );
    return stages[0]?.first as Float32Array;
  };

  it('is the content image by default (BGR, ImageNet mean subtracted), seeded noise when asked', async () => {
    const start = await firstPoint({});
    // The flat content RGB (120, 100, 80) as the network sees it.
    const bgr = [80 - 103.939, 100 - 116.779, 120 - 123.68];
    for (let i = 0; i < start.length; i++) expect(start[i]).toBeCloseTo(bgr[i % 3] as number, 3);
    const noise = await firstPoint({ init: 'noise', seed: 4 });
    expect(noise).toEqual(gaussianNoise(40 * 30 * 3, 4, NOISE_STD));
  });
});

describe('nextStageStart (coarse-to-fine)', () => {
  it('adds back the content detail the small stage lost: the small content becomes the full content', () => {
    const full = { width: 24, height: 18, data: gaussianNoise(24 * 18 * 3, 1, 40) };
    const small = { width: 12, height: 9, data: resizeImage({ ...full, channels: 3 }, 12, 9).data };
    const same = nextStageStart(small, small, full);
    const shifted = nextStageStart({ ...small, data: small.data.map((v) => v + 7) }, small, full);
    for (let i = 0; i < full.data.length; i++) {
      expect(same[i]).toBeCloseTo(full.data[i] as number, 3);
      expect(shifted[i]).toBeCloseTo((full.data[i] as number) + 7, 3);
    }
  });
});

describe('style scale', () => {
  it("sizes the style image to styleScale × the output's longest side, per stage, never enlarging it", async () => {
    const sizes = async (styleScale: number, extra = {}) => {
      const { stages, factory } = quadraticFactory();
      await runStylization(
        { content, styles: [style], options: { ...TINY, size: 40, iterations: 1, styleScale, ...extra } },
        factory,
      );
      return stages.map((s) => {
        const img = s.spec.styles[0]?.image;
        return [img?.width, img?.height];
      });
    };
    expect(await sizes(1)).toEqual([[40, 20]]);
    expect(await sizes(0.5)).toEqual([[20, 10]]);
    expect(await sizes(2)).toEqual([[80, 40]]);
    expect(await sizes(4)).toEqual([[160, 80]]);
    // Coarse-to-fine keeps the texture size relative to each stage.
    expect(await sizes(2, { coarseToFine: 'on', scales: [20, 40], iterations: 2 })).toEqual([
      [40, 20],
      [80, 40],
    ]);
    const small = flatImage(30, 10, [0, 0, 0]);
    const { stages, factory } = quadraticFactory();
    await runStylization(
      { content, styles: [small], options: { ...TINY, size: 40, iterations: 1, styleScale: 4 } },
      factory,
    );
    expect(stages[0]?.spec.styles[0]?.image.width).toBe(30);
  });
});

describe('colour matching', () => {
  it("with colorMatch the style target the loss receives has the content's mean colour", async () => {
    const meanBgr = async (colorMatch: boolean) => {
      const { stages, factory } = quadraticFactory();
      const striped: RgbaImage = flatImage(20, 10, [10, 200, 30]);
      for (let i = 0; i < striped.data.length; i += 8) striped.data.set([60, 120, 90], i);
      await runStylization(
        { content, styles: [striped], options: { ...TINY, size: 40, iterations: 1, colorMatch } },
        factory,
      );
      const data = stages[0]?.spec.styles[0]?.image.data as Float32Array;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i++) sum[i % 3] = (sum[i % 3] as number) + (data[i] as number);
      // Caffe BGR minus the ImageNet mean, back to RGB.
      const n = data.length / 3;
      return [(sum[2] as number) / n + 123.68, (sum[1] as number) / n + 116.779, (sum[0] as number) / n + 103.939];
    };
    const matched = await meanBgr(true);
    for (const [k, c] of [120, 100, 80].entries()) expect(Math.abs((matched[k] as number) - c)).toBeLessThan(1);
    expect(Math.abs(((await meanBgr(false))[1] as number) - 100)).toBeGreaterThan(30);
  });
});

describe('what a run reports before and during its iterations', () => {
  /** Adam (one evaluation per iteration) on a loss whose first evaluation per stage takes `firstMs`, then `laterMs`. */
  function slowStartFactory(firstMs: number, laterMs: number) {
    return (spec: LossSpec): LossProgram => {
      let calls = 0;
      return {
        async evaluate(x) {
          await new Promise((r) => setTimeout(r, calls++ === 0 ? firstMs : laterMs));
          return {
            terms: { total: 1, content: 1, style: 0, tv: 0 },
            gradient: new Float32Array(x.length).fill(spec.width),
          };
        },
        dispose() {},
      };
    };
  }

  it('announces the style targets and the first iteration of each stage before its progress', async () => {
    const events: string[] = [];
    await runStylization(
      {
        content,
        styles: [style],
        options: { ...TINY, size: 40, optimizer: 'adam', coarseToFine: 'on', scales: 2, stageIterations: [2, 1] },
      },
      slowStartFactory(0, 0),
      {
        onPhase: (p) => events.push(`${p.phase} ${p.stage.index}/${p.stage.count}`),
        onProgress: (p) => events.push(`iteration ${p.iteration}`),
      },
    );
    expect(events).toEqual([
      'style-targets 1/2',
      'first-iteration 1/2',
      'iteration 1',
      'iteration 2',
      'style-targets 2/2',
      'first-iteration 2/2',
      'iteration 3',
    ]);
  });

  it('estimates the time left from the steady step time, not from a slow first step', async () => {
    const progress: StylizeProgress[] = [];
    await runStylization(
      { content, styles: [style], options: { ...TINY, size: 40, iterations: 20, optimizer: 'adam' } },
      slowStartFactory(1000, 5),
      { onProgress: (p) => progress.push(p) },
    );
    // Iteration 1 alone: about 1 s per step, so about 19 s left; from iteration 2 on about 5 ms a step.
    expect(progress[0]?.remainingMs).toBeGreaterThan(15_000);
    const fifth = progress[4] as StylizeProgress;
    // 15 steps of ~5 ms (timers on a busy machine run late: allow 4x); the mean over all steps would say ~3.2 s.
    expect(fifth.remainingMs).toBeLessThan(15 * 5 * 4);
    expect(fifth.elapsedMs).toBeGreaterThan(1000);
  });

  it("tells the time left to the stage's forecast stop, not to its iteration ceiling", async () => {
    // A loss whose relative fall per evaluation slows geometrically (20 % first, × 0.85 each): it stops by the rule
    // after ~40 of its 300 iterations. 4 ms per evaluation.
    let loss = 1000;
    let fall = 0.2;
    const factory = (): LossProgram => ({
      async evaluate(x) {
        await new Promise((r) => setTimeout(r, 4));
        const terms = { total: loss, content: loss, style: 0, tv: 0 };
        loss /= 1 + fall;
        fall *= 0.85;
        return { terms, gradient: new Float32Array(x.length).fill(1) };
      },
      dispose() {},
    });
    const progress: StylizeProgress[] = [];
    const result = await runStylization(
      { content, styles: [style], options: { ...TINY, size: 40, iterations: 300, optimizer: 'adam' } },
      factory,
      { onProgress: (p) => progress.push(p) },
    );
    expect(result.stopReason).toBe('converged');
    const stop = result.iterations;
    expect(stop).toBeLessThan(100);
    const at = progress[14] as StylizeProgress;
    const stepMs = (at.elapsedMs - (progress[1] as StylizeProgress).elapsedMs) / 13;
    // The iterations still to go, as the time left says them: about stop − 15 (the ceiling would say 285).
    const stepsLeft = at.remainingMs / stepMs;
    expect(stepsLeft).toBeGreaterThan((stop - 15) / 2);
    expect(stepsLeft).toBeLessThan((stop - 15) * 2);
  });
});

describe('sizes and memory', () => {
  it('a size above the content upsamples it (the longest side becomes the size)', async () => {
    const { stages, factory } = quadraticFactory();
    const result = await runStylization(
      { content, styles: [style], options: { size: 100, iterations: 1, coarseToFine: 'off' } },
      factory,
    );
    expect([result.image.width, result.image.height]).toEqual([100, 75]);
    expect(stages[0]?.spec.content.width).toBe(100);
  });

  it("maxMemory, tileSize and the optimiser's memory reach the loss spec", async () => {
    const { stages, factory } = quadraticFactory();
    await runStylization(
      { content, styles: [style], options: { size: 40, iterations: 1, maxMemory: 2 ** 30, tileSize: 200 } },
      factory,
    );
    // 40x30 px: 3600 values; L-BFGS keeps 5 pairs and 8 working vectors of them; besides, 3 image buffers (12 B a
    // pixel each) and conv4_2's features (32 B a pixel).
    expect(stages[0]?.spec).toMatchObject({
      maxMemory: 2 ** 30,
      runMemory: 2 ** 30,
      tileSize: 200,
      reservedMemory: 18 * 4 * 3600 + (36 + 32) * 1200,
    });
  });

  it("refuses, before any loss program exists, a size the run's memory cannot hold; a host's memory applies", async () => {
    const { stages, factory } = quadraticFactory();
    // 64 MiB cannot hold the runtime and a 256 px pass of the paper's layers (memory-policy.ts), let alone 1024x768.
    const big = { content, styles: [style], options: { size: 1024, iterations: 1, maxMemory: 64 * 1024 ** 2 } };
    await expect(runStylization(big, factory)).rejects.toMatchObject({ code: 'exceeds-memory' });
    // The same size within a host's 64 MiB (a small device), when the options name no memory.
    const device = { bytes: 64 * 1024 ** 2, deviceGB: 0.125 };
    const hosted = { ...big, options: { size: 1024, iterations: 1 } };
    await expect(runStylization(hosted, factory, {}, { host: device })).rejects.toMatchObject({
      details: { deviceGB: 0.125 },
    });
    expect(stages).toEqual([]);
    await runStylization(hosted, factory); // the default 4 GiB holds it
    expect(stages).toHaveLength(1);
  });

  it("bounds L-BFGS's history by a quarter of the memory budget, two float32 vectors a pair", () => {
    const options = resolveOptions({ lbfgsHistory: 20 });
    // 4 GiB / 4 = 1 GiB; a pair at 4096x3072x3 values is 8 × 37 748 736 B = 302 MB: 3 pairs.
    expect(lbfgsHistoryFor(options, 4096 * 3072 * 3)).toBe(3);
    expect(lbfgsHistoryFor(options, 2048 * 1536 * 3)).toBe(14);
    expect(lbfgsHistoryFor(options, 1024 * 768 * 3)).toBe(20); // the option's own limit
    expect(lbfgsHistoryFor(resolveOptions({ maxMemory: 2 ** 26 }), 4096 * 3072 * 3)).toBe(3); // never below 3
    expect(lbfgsHistoryFor(resolveOptions({}), 1024 * 768 * 3)).toBe(5); // the default history
  });
});
