import { loadWeightsFromDirectory } from '@impasto/weights/node';
import { syntheticWeights } from '@impasto/weights/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LossProgram, LossSpec, StyleTarget } from '../compute/loss-program.js';
import type { CaffeImage } from '../image/caffe.js';
import { createVgg19, type Vgg19 } from '../network/vgg19.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { createRandom, gaussianNoise } from '../run/random.js';
import { relativeError, relativeL2 } from '../testing/onnx-helpers.js';
import { tf } from '../tfjs/tf.js';
import { createTfLossProgram } from '../tfjs/tf-loss-program.js';
import type { OnnxLossProgramFactory } from './onnx-loss-program.js';
import { createOnnxLossProgramFactory, onnxAvailable } from './ort-node.js';

const ORT = await onnxAvailable();
if (!ORT) console.warn('skipping the ONNX path tests: onnxruntime-node is not installed or does not load here');
const WEIGHTS_DIR = process.env.IMPASTO_TEST_WEIGHTS;
if (!WEIGHTS_DIR) console.warn('skipping the ONNX tests on real weights: IMPASTO_TEST_WEIGHTS is not set');

function image(width: number, height: number, seed: number): CaffeImage {
  return { width, height, data: gaussianNoise(width * height * 3, seed, 40) };
}

type Overrides = Partial<LossSpec>;

/** Cases shared by both weight sets, for a base spec of width w and height h. */
function cases(w: number, h: number): [string, Overrides][] {
  // Each style at a size of its own, as in a real run (Grams are normalised per position count).
  const twoStyles = [
    { image: image(w - 4, h + 2, 2), weight: 2 },
    { image: image(w + 4, h - 2, 3), weight: 1 },
  ];
  const random = createRandom(w * h);
  const soft = Float32Array.from({ length: w * h }, () => random());
  const maskedStyles = [
    { ...(twoStyles[0] as StyleTarget), mask: soft },
    { ...(twoStyles[1] as StyleTarget), mask: soft.map((v) => 1 - v) },
  ];
  const mixed = [
    { ...(twoStyles[0] as StyleTarget), mask: soft },
    twoStyles[1] as StyleTarget,
    { image: image(w, h, 6), weight: 1, mask: new Float32Array(w * h) },
  ];
  return [
    ['content only', { styleWeight: 0, tvWeight: 0 }],
    ['style only', { contentWeight: 0, tvWeight: 0 }],
    ['total variation only', { contentWeight: 0, styleWeight: 0 }],
    ['everything, two blended styles, average pooling', { styles: twoStyles }],
    ['everything, two blended styles, max pooling', { styles: twoStyles, pooling: 'max' }],
    ['everything, two styles under complementary soft masks', { styles: maskedStyles }],
    ['everything, a masked style, an unmasked one and an empty mask, max pooling', { styles: mixed, pooling: 'max' }],
  ];
}

/**
 * tfjs as the reference, the ONNX path under test: same terms to 1e-5, same gradient to 1e-4 (relative L2).
 * The reference runs on tfjs's cpu backend, whose sums accumulate in float64: tfjs-wasm's float32 sums put its style
 * term 1.5–3e-5 away from both (its gradient agrees to ~1e-6), so it cannot referee a 1e-5 tolerance.
 */
async function expectSamePaths(net: Vgg19, onnx: OnnxLossProgramFactory, spec: LossSpec, seed: number) {
  const x = gaussianNoise(spec.width * spec.height * 3, seed, 40);
  const reference = createTfLossProgram(net, spec);
  const program = onnx.create(spec);
  try {
    const want = await reference.evaluate(x);
    const got = await program.evaluate(x);
    expect(want.terms.total).toBeGreaterThan(0);
    for (const term of ['content', 'style', 'tv'] as const) {
      if (want.terms[term] === 0) expect(got.terms[term]).toBe(0);
      else expect(relativeError(got.terms[term], want.terms[term])).toBeLessThan(1e-5);
    }
    expect(relativeError(got.terms.total, want.terms.total)).toBeLessThan(1e-5);
    expect(got.gradient.length).toBe(x.length);
    expect(relativeL2(got.gradient, want.gradient)).toBeLessThan(1e-4);
  } finally {
    reference.dispose();
    program.dispose();
  }
}

function suite(name: string, loadWeights: () => Promise<Vgg19Weights>, base: LossSpec, odd: [number, number]) {
  describe(name, () => {
    let net: Vgg19;
    let onnx: OnnxLossProgramFactory;
    beforeAll(async () => {
      await tf.setBackend('cpu');
      const weights = await loadWeights();
      net = createVgg19(weights);
      onnx = await createOnnxLossProgramFactory(weights);
    });
    afterAll(async () => {
      net?.dispose();
      await onnx?.dispose();
    });

    it.each(cases(base.width, base.height))('%s', async (_case, overrides) => {
      await expectSamePaths(net, onnx, { ...base, ...overrides }, 9);
    });

    it(`an odd size, ${odd[0]}x${odd[1]} (poolings drop a row or column), max pooling`, async () => {
      const [width, height] = odd;
      await expectSamePaths(
        net,
        onnx,
        { ...base, width, height, content: image(width, height, 4), pooling: 'max' },
        10,
      );
    });
  });
}

const PAPER_LAYERS = {
  contentLayers: ['conv4_2'],
  styleLayers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
  styleLayerWeights: [0.2, 0.2, 0.2, 0.2, 0.2],
} as const;
const SHALLOW_LAYERS = {
  contentLayers: ['conv3_2'],
  styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'],
  styleLayerWeights: [0.5, 0.3, 0.2],
} as const;

function baseSpec(layers: typeof PAPER_LAYERS | typeof SHALLOW_LAYERS, width: number, height: number): LossSpec {
  return {
    width,
    height,
    content: image(width, height, 1),
    styles: [{ image: image(width - 6, height + 3, 2), weight: 1 }],
    ...layers,
    contentWeight: 1,
    styleWeight: 1e3,
    tvWeight: 1e-2,
    pooling: 'avg',
  };
}

describe.skipIf(!ORT)('the ONNX path gives the tfjs path’s loss and gradient', () => {
  // Small sizes keep tfjs-cpu at a few seconds a case; four poolings still leave conv5_1 a 1x1 or 2x1 map.
  suite(
    'synthetic weights to conv5_1, the paper’s layers',
    async () => syntheticWeights('conv5_1', 3),
    baseSpec(PAPER_LAYERS, 24, 20),
    [35, 19],
  );
  describe.skipIf(!WEIGHTS_DIR)('real weights', () => {
    suite(
      'real VGG19 weights (first 8 layers), the shallow layers',
      () => loadWeightsFromDirectory(WEIGHTS_DIR as string),
      baseSpec(SHALLOW_LAYERS, 32, 24),
      [29, 23],
    );
  });
});

describe.skipIf(!ORT)('the ONNX path’s errors', () => {
  it('names the layers the weights lack, when the program is created', async () => {
    const onnx = await createOnnxLossProgramFactory(syntheticWeights('conv2_1'));
    // One check for every path now (requireLayers), which names the missing layers in network order.
    expect(() => onnx.create(baseSpec(SHALLOW_LAYERS, 40, 32))).toThrow(
      'the weights lack conv3_1, conv3_2; available layers: conv1_1, conv1_2, conv2_1',
    );
    await onnx.dispose();
  });

  it('rejects an image too small for the layers, and an x of the wrong length', async () => {
    const onnx = await createOnnxLossProgramFactory(syntheticWeights('conv2_1'));
    const spec = {
      ...baseSpec(SHALLOW_LAYERS, 40, 32),
      contentLayers: ['conv2_1'],
      styleLayers: ['conv1_1'],
    } as LossSpec;
    const tiny = { ...spec, styleLayerWeights: [1], styles: [{ image: image(1, 9, 5), weight: 1 }] };
    expect(() => onnx.create(tiny)).toThrow('style image 1 is 1x9; the layers used need at least 2x2');
    const program = onnx.create({ ...spec, styleLayerWeights: [1] });
    await expect(program.evaluate(new Float32Array(5))).rejects.toThrow('image has 5 values, expected 40x32x3 = 3840');
    program.dispose();
    await onnx.dispose();
  });
});

describe.skipIf(!ORT)('the ONNX path’s sessions (one per layout and size)', () => {
  it('programs at several sizes live side by side, and a size comes back after its session was released', async () => {
    const onnx = await createOnnxLossProgramFactory(syntheticWeights('conv3_2', 4));
    const spec = (width: number, height: number): LossSpec => ({ ...baseSpec(SHALLOW_LAYERS, width, height) });
    const evaluate = async (program: LossProgram, s: LossSpec) =>
      (await program.evaluate(gaussianNoise(s.width * s.height * 3, 11, 40))).terms.total;
    try {
      const [a, b, c] = [spec(24, 20), spec(32, 28), spec(40, 36)];
      const programA = onnx.create(a);
      const first = await evaluate(programA, a);
      const programB = onnx.create(b);
      const firstB = await evaluate(programB, b);
      programA.dispose();
      const programC = onnx.create(c); // building C's session releases A's idle one; B's is in use
      await evaluate(programC, c);
      programC.dispose(); // idle until the next session is built
      expect(relativeError(await evaluate(programB, b), firstB)).toBeLessThan(1e-6);
      const again = onnx.create(a);
      expect(relativeError(await evaluate(again, a), first)).toBeLessThan(1e-6);
      again.dispose();
      programB.dispose();
    } finally {
      await onnx.dispose();
    }
  });
});
