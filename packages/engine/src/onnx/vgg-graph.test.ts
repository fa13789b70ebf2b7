import { syntheticWeights } from '@impasto/weights/testing';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { ConvWeights } from '../network/weights-types.js';
import { gaussianNoise } from '../run/random.js';
import { inputGradientKernel, kernelOIHW } from './conv-kernels.js';
import { GraphBuilder } from './graph-builder.js';
import { loadOrt, onnxAvailable } from './ort-node.js';
import { buildBackward, buildForward, type ConvAlgorithm, poolBackward, reluDerivative, toNchw } from './vgg-graph.js';

const ORT = await onnxAvailable();
if (!ORT) console.warn('skipping the ONNX graph tests: onnxruntime-node is not installed or does not load here');

/** Builds a one-output graph with `build`, runs it on `feeds` ({name: [data, dims]}), returns the output. */
async function run(
  inputs: Record<string, [Float32Array, number[]]>,
  build: (g: GraphBuilder, names: Record<string, string>) => string,
): Promise<Float32Array> {
  const ort = await loadOrt();
  const g = new GraphBuilder('test');
  const names = Object.fromEntries(Object.entries(inputs).map(([k, [, dims]]) => [k, g.input(k, dims)]));
  g.output('out', build(g, names), ['d0', 'd1', 'd2', 'd3'].slice(0, 4));
  const session = await ort.InferenceSession.create(g.toBytes());
  const feeds = Object.fromEntries(
    Object.entries(inputs).map(([k, [d, dims]]) => [k, new ort.Tensor('float32', d, dims)]),
  );
  const out = (await session.run(feeds)).out?.data as Float32Array;
  await session.release();
  return out;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);

describe.skipIf(!ORT)('ONNX backward pieces', () => {
  it('the flipped, transposed kernel gives the adjoint of the conv: ⟨g, conv(x)⟩ = ⟨conv_back(g), x⟩', async () => {
    const [cin, cout, h, w] = [2, 3, 4, 5];
    const weights: ConvWeights = {
      kernel: gaussianNoise(9 * cin * cout, 1, 1),
      kernelShape: [3, 3, cin, cout],
      bias: new Float32Array(cout),
    };
    const x = gaussianNoise(cin * h * w, 2, 1);
    const gy = gaussianNoise(cout * h * w, 3, 1);
    const attrs = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };
    const y = await run({ x: [x, [1, cin, h, w]] }, (g, n) =>
      g.op('Conv', [n.x as string, g.floats('k', kernelOIHW(weights), [cout, cin, 3, 3])], attrs),
    );
    const gx = await run({ gy: [gy, [1, cout, h, w]] }, (g, n) =>
      g.op('Conv', [n.gy as string, g.floats('k', inputGradientKernel(weights, 0.5), [cin, cout, 3, 3])], attrs),
    );
    expect(dot(gx, x)).toBeCloseTo(0.5 * dot(gy, y), 4);
  });

  it('average pooling: the spread gradient times its scale is the adjoint, and an odd last row gets none', async () => {
    const [c, h, w] = [2, 5, 4];
    const x = gaussianNoise(c * h * w, 4, 1);
    const gy = gaussianNoise(c * 2 * 2, 5, 1);
    const y = await run({ x: [x, [1, c, h, w]] }, (g, n) =>
      g.op('AveragePool', [n.x as string], { kernel_shape: [2, 2], strides: [2, 2] }),
    );
    let scale = 0;
    const gx = await run({ x: [x, [1, c, h, w]], gy: [gy, [1, c, 2, 2]] }, (g, n) => {
      const back = poolBackward(
        g,
        n.gy as string,
        { kind: 'pool', input: n.x as string, output: 'unused', evenInput: false },
        'avg',
      );
      scale = back.scale;
      return back.grad;
    });
    expect(scale).toBe(0.25);
    expect(dot(gx, x) * scale).toBeCloseTo(dot(gy, y), 5);
    for (let ch = 0; ch < c; ch++) for (let col = 0; col < w; col++) expect(gx[(ch * h + 4) * w + col]).toBe(0);
  });

  it('max pooling sends each window’s gradient to its maximum (hand-computed, 3x5 input)', async () => {
    // One channel; windows (rows 0-1) x (cols 0-1 | 2-3); row 2 and column 4 are dropped by the floor.
    const x = Float32Array.of(1, 9, 2, 8, 50, 4, 5, 7, 3, 50, 60, 60, 60, 60, 60);
    const gy = Float32Array.of(10, 100);
    const gx = await run({ x: [x, [1, 1, 3, 5]], gy: [gy, [1, 1, 1, 2]] }, (g, n) => {
      const pooled = g.op('MaxPool', [n.x as string], { kernel_shape: [2, 2], strides: [2, 2] });
      const step = { kind: 'pool', input: n.x as string, output: pooled, evenInput: false } as const;
      return poolBackward(g, n.gy as string, step, 'max').grad;
    });
    expect(Array.from(gx)).toEqual([0, 10, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('average pooling of an even-sided input needs no padding: the same adjoint', async () => {
    const [c, h, w] = [3, 4, 6];
    const x = gaussianNoise(c * h * w, 6, 1);
    const gy = gaussianNoise(c * 2 * 3, 7, 1);
    const y = await run({ x: [x, [1, c, h, w]] }, (g, n) =>
      g.op('AveragePool', [n.x as string], { kernel_shape: [2, 2], strides: [2, 2] }),
    );
    const gx = await run({ gy: [gy, [1, c, 2, 3]] }, (g, n) => {
      const step = { kind: 'pool', input: 'unused', output: 'unused', evenInput: true } as const;
      return poolBackward(g, n.gy as string, step, 'avg').grad;
    });
    expect(gx.length).toBe(x.length);
    expect(dot(gx, x) * 0.25).toBeCloseTo(dot(gy, y), 5);
  });

  it("ReLU's derivative from its output is exactly 0 at 0 and 1 above, up to overflow", async () => {
    const a = Float32Array.of(0, 1e-20, 2e-30, 3, 255, 1e30, 3e38, 0);
    const mask = await run({ a: [a, [1, 2, 2, 2]] }, (g, n) => reluDerivative(g, n.a as string, 2, 'conv1_1'));
    expect(Array.from(mask)).toEqual([0, 1, 1, 1, 1, 1, 1, 0]);
  });
});

describe('conv algorithms', () => {
  /** The names of the Winograd convs (forward `convX_Y_wg`, gradient `convX_Y_grad_wg`) in a loss-shaped graph. */
  function winogradConvs(conv: ConvAlgorithm): string[] {
    const g = new GraphBuilder('convs');
    const x = toNchw(g, g.input('x', [1, 16, 16, 3]));
    const forward = buildForward(
      g,
      x,
      syntheticWeights('conv3_1'),
      ['conv3_1'],
      'avg',
      { height: 16, width: 16 },
      conv,
    );
    const seed = forward.activations.get('conv3_1') as string;
    g.output('dx', buildBackward(g, forward, new Map([['conv3_1', seed]])), [1, 3, 16, 16]);
    const model = onnxProto.onnx.ModelProto.decode(g.toBytes());
    const outputs = (model.graph?.node ?? []).flatMap((n) => n.output ?? []);
    return outputs.filter((name) => name.endsWith('_wg')).sort();
  }

  it("'winograd-4x4-wide' takes the convs of 128 channels and more, forward and gradient; '-forward' the forward only", () => {
    expect(winogradConvs('winograd-4x4-wide')).toEqual([
      'conv2_2_grad_wg',
      'conv2_2_wg',
      'conv3_1_grad_wg',
      'conv3_1_wg',
    ]);
    expect(winogradConvs('winograd-4x4-wide-forward')).toEqual(['conv2_2_wg', 'conv3_1_wg']);
    expect(winogradConvs('direct')).toEqual([]);
  });
});
