import { isImpastoError } from '@impasto/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAYER_PRESETS, resolveOptions } from '../options.js';
import { chooseTileSide } from '../tiling/budget.js';
import { minimumTileSide } from '../tiling/plan.js';
import {
  checkRunFitsMemory,
  deviceHostMemory,
  largestSideThatFits,
  largestTensorPerPixel,
  machineHostMemory,
  PATH_MEMORY,
  type PathMemory,
  passTiling,
  pathMemory,
  runBytes,
  weightBytes,
} from './memory-policy.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const shallow = [...LAYER_PRESETS.shallow.contentLayers, ...LAYER_PRESETS.shallow.styleLayers];
const paper = [...LAYER_PRESETS.paper.contentLayers, ...LAYER_PRESETS.paper.styleLayers];

function refusal(fn: () => void) {
  try {
    fn();
  } catch (e) {
    if (isImpastoError(e, 'exceeds-memory')) return e;
    throw e;
  }
  throw new Error('no exceeds-memory error');
}

describe("a run's own bytes", () => {
  it('are the least optimiser, three image buffers and the content features, per pixel', () => {
    // L-BFGS at its least: 3 pairs + 8 working vectors = 14 float32 vectors of 3 values: 168 B a pixel. Besides:
    // 3 images × 12 B, and conv4_2's 512 channels × 4 B over 64 pixels (three poolings) = 32 B.
    expect(runBytes(resolveOptions({}), 1000)).toEqual({ total: 236_000, optimizer: 168_000, besides: 68_000 });
    // Adam: 4 vectors, 48 B; the shallow set's conv3_2: 256 × 4 / 16 = 64 B.
    expect(runBytes(resolveOptions({ optimizer: 'adam', ...LAYER_PRESETS.shallow }), 1000).total).toBe(148_000);
  });
});

/** Rows of the memory model for the tests (the measured table changes with measurements; these do not). */
const HOST: PathMemory = {
  passFactor: 10,
  fixedBytes: 64 * MiB,
  weightFactor: 8,
  defaultBytes: 2 * GiB,
  sharesOptimizerMemory: true,
  largestTensor: 'activations',
  heapLimitBytes: 4 * GiB,
  measured: 'a test row: passes in a wasm heap',
};
const GL: PathMemory = {
  passFactor: 10,
  fixedBytes: 64 * MiB,
  weightFactor: 0,
  defaultBytes: 512 * MiB,
  sharesOptimizerMemory: false,
  largestTensor: 'im2col',
  measured: 'a test row: passes on a GPU, WebGL-like',
};
const GPU: PathMemory = { ...GL, defaultBytes: 1 * GiB, largestTensor: 'activations', measured: 'WebGPU-like' };

describe('checkRunFitsMemory and largestSideThatFits', () => {
  const photo = { width: 4096, height: 3072 };

  it('on a GPU path: the run’s own bytes within three quarters of its memory', () => {
    // 236 B a pixel × 4/3 = 314.67 B: 64 MiB holds 213 269 px. 533x400 = 213 200 fits; 534x401 = 214 134 does not.
    const options = resolveOptions({ size: 1024, maxMemory: 64 * MiB });
    const e = refusal(() => checkRunFitsMemory(options, photo, 64 * MiB, 'webgl'));
    expect(e.details).toMatchObject({ width: 1024, height: 768, largestSide: 533, backend: 'webgl' });
    expect(e.details.needBytes).toBeCloseTo((236 * 1024 * 768 * 4) / 3, 0);
    expect(e.details.deviceGB).toBeUndefined();
    expect(e.message).toMatch(
      /a 1024x768 result needs 0\.23 GiB of memory \(its optimiser 0\.12 GiB\).*\(maxMemory\).*533 px/,
    );
    expect(() => checkRunFitsMemory({ ...options, size: 533 }, photo, 64 * MiB, GL)).not.toThrow();
    expect(largestSideThatFits(options, photo, 64 * MiB, GL)).toBe(533);
  });

  it("where passes share the page's memory: the run's bytes, the runtime and the least tile's pass within all of it", () => {
    // Paper layers to conv5_1: the least tile is 16 + 2 × 80 = 176 px a side; its pass 1160 activation bytes a
    // pixel × 10 × 30 976 px, with 64 MiB and 8 × 51 779 840 B of weights: 840 669 184 B. With 236 B a pixel, 2 GiB
    // holds 5 537 349 px: 2717x2038 fits, 2718x2039 does not.
    expect(weightBytes(paper)).toBe(51_779_840);
    expect(minimumTileSide(paper)).toBe(176);
    const options = resolveOptions({ size: 4096 });
    const host = { bytes: 2 * GiB, deviceGB: 4 };
    const e = refusal(() => checkRunFitsMemory(options, photo, 2 * GiB, HOST, host));
    expect(e.details).toMatchObject({ width: 4096, height: 3072, largestSide: 2717, deviceGB: 4 });
    expect(e.message).toContain("half of this device's 4 GB");
    expect(largestSideThatFits(options, photo, 2 * GiB, HOST)).toBe(2717);
    // With the pass on a GPU: ¾ of 2 GiB / 236 B = 6 824 630 px; 3016x2262 fits.
    expect(largestSideThatFits(options, photo, 2 * GiB, GL)).toBe(3016);
    // 4 GiB takes 2048 px with room to spare, and a size that fits is its own answer.
    expect(largestSideThatFits({ ...options, size: 2048 }, photo, 4 * GiB, HOST)).toBe(2048);
  });
});

describe('passTiling', () => {
  // The shallow layers: 896 activation bytes a pixel × 10 = 8960 B; HOST's runtime 64 MiB + 8 × 4 581 632 B of weights.
  const runtime = 64 * MiB + 8 * 4_581_632;

  it('where passes share the page’s memory: the path’s bytes, or what the run leaves, less what the runtime holds', () => {
    expect(weightBytes(shallow)).toBe(4_581_632);
    const side = (spec: Parameters<typeof passTiling>[1], row = HOST) =>
      chooseTileSide(4096, 3072, shallow, passTiling(row, spec, shallow));
    // √((2 GiB − runtime) / 8960) = 477.6
    expect(side({ runMemory: 4 * GiB, reservedMemory: 1 * GiB })).toBe(477);
    // 1 GiB less 0.5 GiB reserved leaves 0.5 GiB: √((512 MiB − runtime) / 8960) = 219.9
    expect(side({ runMemory: 1 * GiB, reservedMemory: 0.5 * GiB })).toBe(219);
    // However much the run has, a pass takes at most ¾ of a 4 GiB heap: √((3 GiB − runtime) / 8960) = 589.9
    expect(side({ runMemory: 16 * GiB }, { ...HOST, defaultBytes: 8 * GiB })).toBe(589);
    expect(passTiling('wasm', { runMemory: 4 * GiB }, shallow).passFactor).toBe(PATH_MEMORY.wasm?.passFactor);
  });

  it('on a GPU: the path’s default, capped where its largest tensor would pass the device’s limit', () => {
    // WebGL-like: 512 MiB − 64 MiB over 8960 B: 52 428 px, a 228 px tile; conv1_2's packed im2col, 9 × 64 / 4 =
    // 144 texels a pixel, fits a 1024 texture for 7 281 px: an 85 px tile.
    expect(largestTensorPerPixel(shallow, 'im2col')).toBe(144);
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GL, {}, shallow))).toBe(228);
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GL, {}, shallow, { maxTextureSize: 1024 }))).toBe(85);
    // WebGPU-like: 1 GiB − 64 MiB: 112 347 px, 335 px; a 16 MiB buffer holds 65 536 px of conv1's 64 channels.
    expect(largestTensorPerPixel(shallow, 'activations')).toBe(64);
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GPU, {}, shallow))).toBe(335);
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GPU, {}, shallow, { maxBufferBytes: 16 * MiB }))).toBe(256);
    // A device whose run may use 2 GiB (4 GB of memory) gets at most a quarter of that: 512 MiB, as WebGL-like.
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GPU, { runMemory: 2 * GiB }, shallow))).toBe(228);
    // The options' maxMemory replaces the default: 100 px of pass, a 10 px tile, enlarged to the layers' least
    // (4 + 2 × 16); none at all still runs that least tile.
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GL, { maxMemory: 64 * MiB + 100 * 8960 }, shallow))).toBe(36);
    expect(chooseTileSide(2048, 1536, shallow, passTiling(GL, { maxMemory: 1 }, shallow))).toBe(36);
    // A small image fits untiled.
    expect(chooseTileSide(128, 96, shallow, passTiling(GL, {}, shallow))).toBeNull();
    expect(runtime).toBe(103_761_920);
  });
});

describe('a path whose tiled passes hold less than its untiled one (PathMemory.tiles)', () => {
  // HOST untiled; its tiles 4 × activations and 64 MiB + 1 × weights (ort-wasm: Winograd untiled, direct in tiles).
  const TILED: PathMemory = { ...HOST, tiles: { passFactor: 4, fixedBytes: 64 * MiB, weightFactor: 1 } };

  it('runs untiled by the untiled figures, and sizes tiles by the tiled ones', () => {
    const choice = passTiling(TILED, { runMemory: 4 * GiB, reservedMemory: 1 * GiB }, shallow);
    // Untiled: (2 GiB − 64 MiB − 8 × 4 581 632 B) / 8960 B = 228 093 px: 477x477 fits, 478x478 does not.
    expect(chooseTileSide(477, 477, shallow, choice)).toBeNull();
    // Tiles: √((2 GiB − 64 MiB − 4 581 632 B) / (896 × 4 B)) = 761.04; HOST alone would give 477.
    expect(chooseTileSide(478, 478, shallow, choice)).toBe(761);
    expect(
      chooseTileSide(4096, 3072, shallow, passTiling(HOST, { runMemory: 4 * GiB, reservedMemory: 1 * GiB }, shallow)),
    ).toBe(477);
  });

  it("counts the least tile's pass by the tiled figures when refusing a size", () => {
    // Paper layers, a 176 px least tile: 1160 B × 4 × 30 976 px + 64 MiB + 51 779 840 B = 262 617 344 B (HOST:
    // 840 669 184 B). With 236 B a pixel, 1.5 GiB holds 5 118 472 px: 2612x1959 (HOST: 2085).
    const options = resolveOptions({ size: 4096 });
    const photo = { width: 4096, height: 3072 };
    expect(largestSideThatFits(options, photo, 1.5 * GiB, HOST)).toBe(2085);
    expect(largestSideThatFits(options, photo, 1.5 * GiB, TILED)).toBe(2612);
  });
});

describe('the measured table', () => {
  it('names its source, and a pass in a wasm heap leaves room under its ceiling', () => {
    for (const [name, row] of Object.entries(PATH_MEMORY)) {
      expect(row.measured, name).not.toBe('');
      if (row.heapLimitBytes) expect(row.defaultBytes, name).toBeLessThanOrEqual(row.heapLimitBytes * 0.75);
    }
    expect(pathMemory('no-such-path').measured).toMatch(/no measurement for no-such-path/);
  });
});

describe('machineHostMemory', () => {
  it('offers a Node run a fifth of the machine, at least the default: 24 GB fits a 4096x3072 shallow run, 16 GB not', () => {
    expect(machineHostMemory(24 * GiB)).toEqual({ bytes: Math.floor((24 * GiB) / 5), deviceGB: 24, of: 'machine' });
    expect(machineHostMemory(8 * GiB).bytes).toBe(4 * GiB);
    // Shallow layers, 4096x3072 = 12 582 912 px, L-BFGS with its least 3 pairs: (2 × 3 + 8) vectors × 4 B × 3 values
    // = 168 B a pixel, 3 image buffers 36 B, conv3_2's features 256 × 4 / 16 = 64 B: 268 B a pixel, × 4/3.
    const need = (268 * 12_582_912 * 4) / 3;
    const options = resolveOptions({ size: 4096, ...LAYER_PRESETS.shallow });
    const content = { width: 1024, height: 768 };
    const small = machineHostMemory(16 * GiB);
    const e = refusal(() => checkRunFitsMemory(options, content, small.bytes, 'onnx', small));
    expect(e.details).toMatchObject({ width: 4096, height: 3072, needBytes: need, deviceGB: 16 });
    expect(e.message).toContain("(the default, more than a fifth of this machine's 16 GB)");
    const large = machineHostMemory(24 * GiB);
    expect(large.bytes).toBeGreaterThan(need);
    expect(() => checkRunFitsMemory(options, content, large.bytes, 'onnx', large)).not.toThrow();
  });
});

describe('deviceHostMemory', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is half of navigator.deviceMemory, at most 4 GiB, and nothing where the browser does not say', () => {
    vi.stubGlobal('navigator', { deviceMemory: 4 });
    expect(deviceHostMemory()).toEqual({ bytes: 2 * GiB, deviceGB: 4 });
    vi.stubGlobal('navigator', { deviceMemory: 0.5 });
    expect(deviceHostMemory()).toEqual({ bytes: 0.25 * GiB, deviceGB: 0.5 });
    vi.stubGlobal('navigator', { deviceMemory: 32 });
    expect(deviceHostMemory()?.bytes).toBe(4 * GiB);
    vi.stubGlobal('navigator', {});
    expect(deviceHostMemory()).toBeUndefined();
  });
});
