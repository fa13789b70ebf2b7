import { describe, expect, it } from 'vitest';
import { PATH_MEMORY } from '../memory/memory-policy.js';
import { optimizerMemory } from '../memory/optimizer-memory.js';
import { LAYER_PRESETS, resolveOptions } from '../options.js';
import { activationBytesPerPixel, chooseTileSide, lossBudget, shapePixels } from './budget.js';

const shallow = [...LAYER_PRESETS.shallow.contentLayers, ...LAYER_PRESETS.shallow.styleLayers];
const paper = [...LAYER_PRESETS.paper.contentLayers, ...LAYER_PRESETS.paper.styleLayers];
const GiB = 1024 ** 3;

describe('the memory budget', () => {
  it('counts float32 activations per pixel, each pooling quartering the area', () => {
    // conv1_1..1_2: 128 channels × 4 B; conv2_x: 256 × 4 / 4; conv3_1..3_2: 512 × 4 / 16.
    expect(activationBytesPerPixel(shallow)).toBe(512 + 256 + 128);
    // ... conv3_1..3_4: 1024 × 4 / 16; conv4_1..4_4: 2048 × 4 / 64; conv5_1: 512 × 4 / 256.
    expect(activationBytesPerPixel(paper)).toBe(512 + 256 + 256 + 128 + 8);
  });

  it("gives the loss what the optimiser leaves, never under a quarter of the run's memory", () => {
    expect(lossBudget(4 * GiB, 1 * GiB)).toBe(3 * GiB);
    expect(lossBudget(4 * GiB, 3.5 * GiB)).toBe(1 * GiB);
    expect(lossBudget(4 * GiB, 0)).toBe(4 * GiB);
  });

  it("counts L-BFGS's pairs and its working vectors, Adam's moments", () => {
    const values = 1024 * 768 * 3;
    // 5 pairs (the default history) of two vectors, 8 working vectors, 4 bytes a value.
    expect(optimizerMemory(resolveOptions({}), values)).toBe((2 * 5 + 8) * 4 * values);
    expect(optimizerMemory(resolveOptions({ lbfgsHistory: 20 }), values)).toBe((2 * 20 + 8) * 4 * values);
    expect(optimizerMemory(resolveOptions({ optimizer: 'adam' }), values)).toBe(4 * 4 * values);
  });

  it('by default computes 1024x768 untiled in Node and tiles 4096x3072 within what L-BFGS leaves of 4 GiB', () => {
    const options = resolveOptions({ ...LAYER_PRESETS.shallow });
    const side = (width: number, height: number) =>
      chooseTileSide(width, height, shallow, {
        budget: lossBudget(4 * GiB, optimizerMemory(options, width * height * 3)),
        passFactor: PATH_MEMORY.onnx?.passFactor as number,
      });
    // 786 432 px × 896 B × 4 = 2.62 GiB, under 4 GiB − 5 pairs and 8 vectors (0.16 GiB).
    expect(side(1024, 768)).toBeNull();
    // 3 pairs and 8 vectors of 37 748 736 values leave 2 181 038 080 B: √(2 181 038 080 / 3584) = 780.1.
    expect(side(4096, 3072)).toBe(780);
    // A budget forced small tiles at once; a tile size forces tiling at any budget.
    expect(chooseTileSide(1024, 768, shallow, { budget: 64 * 1024 ** 2, passFactor: 4 })).toBe(136);
    expect(chooseTileSide(1024, 768, shallow, { budget: 64 * GiB, passFactor: 4, tileSize: 512 })).toBe(512);
  });

  it('sizes the tiles for all their shapes where each shape keeps a pass of its own (ONNX Runtime in Node)', () => {
    const choice = { budget: 4 * GiB, passFactor: 4 }; // 3584 B a pixel
    // One pass: √(4 GiB / 3584) = 1094.7.
    expect(chooseTileSide(2048, 1535, shallow, choice)).toBe(1094);
    // Even interiors of at most 1060 px: columns of 1056 px; 1535 rows are not on the 4 px grid, so rows of 800 and
    // 803 px: two shapes, 1 692 768 px, 6.07 GB of passes.
    expect(shapePixels(2048, 1535, shallow, 1094)).toBe(1056 * 800 + 1056 * 803);
    // Scaled by √(4 GiB / 6.07 GB) to 920: three columns of 716 px, the same rows, 4.11 GB.
    expect(chooseTileSide(2048, 1535, shallow, { ...choice, passPerShape: true })).toBe(920);
    expect(shapePixels(2048, 1535, shallow, 920)).toBe(716 * 800 + 716 * 803);
    // On the grid every tile has one shape (1056 x 800 px): the side of one pass.
    expect(chooseTileSide(2048, 1536, shallow, { ...choice, passPerShape: true })).toBe(1094);
  });
});
