/**
 * Test-only: the specs both ONNX runtimes evaluate in the browser test (e2e/ort-wasm-page.ts computes them on
 * onnxruntime-web in Chromium, src/onnx/ort-web.e2e.test.ts on onnxruntime-node, and compares).
 */
import type { LossSpec } from '../compute/loss-program.js';
import type { ConvLayerName } from '../network/layers.js';
import { equivalenceSpec, variations } from './tiling-equivalence-cases.js';

const PAPER = {
  content: ['conv4_2'] as ConvLayerName[],
  style: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'] as ConvLayerName[],
};
const SHALLOW = {
  content: ['conv3_2'] as ConvLayerName[],
  style: ['conv1_1', 'conv2_1', 'conv3_1'] as ConvLayerName[],
};

/** Synthetic weights to conv5_1 (seed 3); the paper's layers at 40x32 and at an odd 35x19. */
export const ORT_CASES: Record<string, () => LossSpec> = {
  ...Object.fromEntries(
    variations(40, 32).map(([name, overrides]) => [
      `paper layers, 40x32: ${name}`,
      () => equivalenceSpec(40, 32, PAPER.content, PAPER.style, overrides),
    ]),
  ),
  'paper layers, odd 35x19, max pooling': () => equivalenceSpec(35, 19, PAPER.content, PAPER.style, { pooling: 'max' }),
};

/** Tiled against untiled: the shallow layers at an odd 75x61 in tiles of 40, a masked style beside an unmasked one. */
export const ORT_TILED_CASE = {
  spec: () => equivalenceSpec(75, 61, SHALLOW.content, SHALLOW.style, variations(75, 61)[2]?.[1] ?? {}),
  side: 40,
} as const;
