// A bare page for the tiled-loss browser test: window.compareTiled(backend) -> how far tiled is from untiled.
import '../src/backends/browser.js'; // registers the tfjs backends this entry point may run on
import { syntheticWeights } from '@impasto/weights/testing';
import { layoutOf } from '../src/compute/loss-layout.js';
import type { Evaluation, LossSpec } from '../src/compute/loss-program.js';
import { createVgg19 } from '../src/network/vgg19.js';
import { relativeL2 } from '../src/testing/relative-error.js';
import { equivalenceSpec, evaluationPoint, noiseImage, softMask } from '../src/testing/tiling-equivalence-cases.js';
import { selectBackend } from '../src/tfjs/backend.js';
import { tf } from '../src/tfjs/tf.js';
import { createTfLossProgram } from '../src/tfjs/tf-loss-program.js';
import { createTfTileRunner } from '../src/tfjs/tf-tile-runner.js';
import { planTiles, tileCount } from '../src/tiling/plan.js';
import { createTiledLossProgram } from '../src/tiling/tiled-loss-program.js';

declare global {
  interface Window {
    compareTiled(backend: 'webgl' | 'webgpu'): Promise<unknown>;
  }
}

window.compareTiled = async (backend) => {
  const choice = await selectBackend(backend);
  const net = createVgg19(syntheticWeights('conv2_1', 3), { convGradient: choice.convGradient });
  const [width, height, side] = [29, 23, 17];
  const spec: LossSpec = equivalenceSpec(width, height, ['conv2_1'], ['conv1_1', 'conv2_1'], {
    styles: [
      { image: noiseImage(width + 5, height + 2, 2), weight: 1, mask: softMask(width, height, 21) },
      { image: noiseImage(width - 3, height + 4, 5), weight: 1 },
    ],
  });
  const layout = layoutOf(spec);
  const x = evaluationPoint(spec);
  const before = tf.memory().numTensors;
  const run = async (program: { evaluate(x: Float32Array): Promise<Evaluation>; dispose(): void }) => {
    const out = await program.evaluate(x);
    program.dispose();
    return out;
  };
  const untiled = await run(createTfLossProgram(net, spec));
  const tiled = await run(createTiledLossProgram(spec, layout, createTfTileRunner(net, layout), side));
  const leaked = tf.memory().numTensors - before;
  net.dispose();
  const terms = (['content', 'style', 'tv', 'total'] as const).map(
    (t) => Math.abs(tiled.terms[t] - untiled.terms[t]) / Math.abs(untiled.terms[t]),
  );
  return {
    backend: choice.name,
    tiles: tileCount(planTiles(width, height, ['conv1_1', 'conv2_1'], side)),
    worstTerm: Math.max(...terms),
    gradient: relativeL2(tiled.gradient, untiled.gradient),
    leaked,
  };
};
