import { syntheticWeights } from '@impasto/weights/testing';
import { describe, expect, it } from 'vitest';
import type { Evaluation, LossSpec } from '../compute/loss-program.js';
import { gaussianNoise } from '../run/random.js';
import { expectSameEvaluation } from '../testing/expect-same.js';
import { ORT_CASES } from '../testing/onnx-web-cases.js';
import { evaluationPoint } from '../testing/tiling-equivalence-cases.js';
import { winogradConv3x3, winogradKernel } from './conv-winograd.js';
import { GraphBuilder } from './graph-builder.js';
import { createOrtLossProgramFactory, type OrtPathConfig } from './onnx-loss-program.js';
import { loadOrt, ONNX_NODE_MEMORY, onnxAvailable } from './ort-node.js';
import { CONV_ALGORITHMS, type ConvAlgorithm } from './vgg-graph.js';

const ORT = await onnxAvailable();
if (!ORT) console.warn('skipping the Winograd conv tests: onnxruntime-node is not installed or does not load here');

const nodeConfig: OrtPathConfig = {
  label: 'ONNX',
  memory: ONNX_NODE_MEMORY,
  tileArena: true,
  conv: 'direct',
  tileConv: 'direct',
  sessionOptions: { logSeverityLevel: 3 },
};

/** A same-padding 3x3 conv of NCHW x with an OIHW kernel, in float64, by its definition. */
function referenceConv(x: Float32Array, k: Float32Array, cin: number, cout: number, h: number, w: number) {
  const y = new Float64Array(cout * h * w);
  for (let o = 0; o < cout; o++)
    for (let i = 0; i < cin; i++)
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) {
          const weight = k[((o * cin + i) * 3 + r) * 3 + c] as number;
          for (let py = 0; py < h; py++) {
            const sy = py + r - 1;
            if (sy < 0 || sy >= h) continue;
            for (let px = 0; px < w; px++) {
              const sx = px + c - 1;
              const at = (o * h + py) * w + px;
              if (sx >= 0 && sx < w) y[at] = (y[at] as number) + weight * (x[(i * h + sy) * w + sx] as number);
            }
          }
        }
  return y;
}

describe('winogradKernel', () => {
  // g = e_1 e_1ᵀ (a single 1 at the centre): U[a][b] = G[a][1] G[b][1], from G's middle column.
  it.each([
    [2, [0, 1 / 2, -1 / 2, 0]],
    [4, [0, -1 / 6, 1 / 6, 1 / 12, -1 / 12, 0]],
  ] as const)('F(m = %i): a kernel with a single 1 at the centre gives U = G e Gᵀ (hand-computed)', (tile, col) => {
    const k = new Float32Array(9);
    k[4] = 1;
    const u = winogradKernel(k, 1, 1, tile);
    const n = col.length;
    expect(u.length).toBe(n * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) expect(u[a * n + b]).toBeCloseTo((col[a] as number) * (col[b] as number), 9); // float32
  });
});

describe.skipIf(!ORT)('winogradConv3x3 in ONNX Runtime', () => {
  // F(4x4)'s transforms have entries up to 8 and 1/24, so it rounds more than F(2x2) (measured ~2e-7 and ~1e-6 here).
  it.each([
    [2, 3, 5, 6, 8, 1e-6],
    [2, 16, 4, 10, 4, 1e-6],
    [4, 3, 5, 8, 12, 5e-6],
    [4, 64, 8, 16, 8, 5e-6],
  ] as const)(
    'F(m = %i), %i → %i channels, %ix%i: equals the definition of a same-padding conv',
    async (tile, cin, cout, h, w, tolerance) => {
      const ort = await loadOrt();
      const x = gaussianNoise(cin * h * w, 1, 1);
      const kernel = gaussianNoise(cout * cin * 9, 2, 0.3);
      const g = new GraphBuilder('winograd_test');
      const input = g.input('x', [1, cin, h, w]);
      const conv = { input, kernel, inChannels: cin, outChannels: cout, height: h, width: w, name: 't' };
      const y = winogradConv3x3(g, conv, tile);
      g.output('y', y, [1, cout, h, w]);
      const session = await ort.InferenceSession.create(g.toBytes());
      const out = (await session.run({ x: new ort.Tensor('float32', x, [1, cin, h, w]) })).y?.data as Float32Array;
      await session.release();
      const want = referenceConv(x, kernel, cin, cout, h, w);
      expect(out.length).toBe(want.length);
      let err = 0;
      let norm = 0;
      for (let i = 0; i < want.length; i++) {
        err += ((out[i] as number) - (want[i] as number)) ** 2;
        norm += (want[i] as number) ** 2;
      }
      console.log(`F(${tile}x${tile}) ${cin}→${cout} ${h}x${w}: relative L2 ${Math.sqrt(err / norm).toExponential(1)}`);
      expect(Math.sqrt(err / norm)).toBeLessThan(tolerance);
    },
  );

  it('refuses a side that is not a multiple of the block', () => {
    const g = new GraphBuilder('odd');
    const input = g.input('x', [1, 1, 6, 4]);
    const conv = { input, kernel: new Float32Array(9), inChannels: 1, outChannels: 1, height: 6, width: 4, name: 'o' };
    expect(() => winogradConv3x3(g, conv, 4)).toThrow(/not a multiple of 4/);
    expect(() => winogradConv3x3(g, { ...conv, height: 5 }, 2)).toThrow(/not a multiple of 2/);
  });
});

describe.skipIf(!ORT)('loss graphs with Winograd convs', () => {
  it.each(Object.keys(ORT_CASES))(
    'give the direct graphs’ loss and gradient (%s)',
    async (name) => {
      const ort = await loadOrt();
      const weights = syntheticWeights('conv5_1', 3);
      const factory = (conv: ConvAlgorithm) =>
        createOrtLossProgramFactory(ort, weights, { ...nodeConfig, label: `ONNX ${conv}`, conv });
      const spec = (ORT_CASES[name] as () => LossSpec)();
      const results = new Map<ConvAlgorithm, Evaluation>();
      // 'winograd-4x4-wide' pads the sides that are not multiples of 4 (here every layer from block 3 on, and all of
      // the odd case's) and leaves the layers under 128 channels direct; '-forward' keeps the gradient convs direct.
      for (const conv of CONV_ALGORITHMS) {
        const f = factory(conv);
        try {
          const program = await f.prepare(spec);
          results.set(conv, await program.evaluate(evaluationPoint(spec)));
          program.dispose();
        } finally {
          await f.dispose();
        }
      }
      const direct = results.get('direct') as Evaluation;
      for (const conv of CONV_ALGORITHMS) {
        if (conv !== 'direct') expectSameEvaluation(results.get(conv) as Evaluation, direct);
      }
    },
    60_000,
  );
});
