/** The two passes of the tiled loss on tfjs (any backend): see tile-runner.ts and tiled-loss-program.ts. */
import type { CaffeImage } from '../image/caffe.js';
import type { LossLayout } from '../loss-layout.js';
import type { Vgg19 } from '../network/vgg19.js';
import { tf } from '../tf.js';
import type { GradientStep, TileMasks, TileRunner } from './tile-runner.js';

/** Features [1, h, w, N] as [positions, N], weighted per position by `weights` [h·w]. */
function weighted(f: tf.Tensor4D, weights: Float32Array): tf.Tensor2D {
  const [, h, w, n] = f.shape;
  return tf.mul(tf.reshape(f, [h * w, n]), tf.tensor2d(weights, [h * w, 1])) as tf.Tensor2D;
}

export function createTfTileRunner(net: Vgg19, layout: LossLayout): TileRunner<tf.Tensor4D> {
  const { contentLayers, styleLayers, pooling } = layout;
  const needed = [...new Set([...contentLayers, ...styleLayers])];
  const image = (tile: CaffeImage) => tf.tensor4d(tile.data, [1, tile.height, tile.width, 3]);

  return {
    async grams(tile: CaffeImage, masks: TileMasks) {
      const tensors = tf.tidy(() => {
        const features = net.features(image(tile), styleLayers, pooling);
        return styleLayers.map((layer, i) =>
          (masks[i] ?? []).map((m) => {
            const fm = weighted(features.get(layer) as tf.Tensor4D, m);
            return tf.matMul(fm, fm, true, false);
          }),
        );
      });
      try {
        return await Promise.all(
          tensors.map((perRegion) => Promise.all(perRegion.map((g) => g.data() as Promise<Float32Array>))),
        );
      } finally {
        for (const t of tensors.flat()) t.dispose();
      }
    },

    async contentFeatures(tile: CaffeImage) {
      const kept = tf.tidy(() => {
        const features = net.features(image(tile), contentLayers, pooling);
        return contentLayers.map((layer) => tf.keep(features.get(layer) as tf.Tensor4D));
      });
      // WebGL and WebGPU only queue the work: one scalar read waits for this tile's, so tile reports and cancellation
      // between tiles follow the work done (else every content tile "ran" in seconds and the next pass paid for all).
      if (kept.length === 0) return kept;
      const done = tf.tidy(() => tf.addN(kept.map((f) => tf.sum(f))));
      await done.data();
      done.dispose();
      return kept;
    },

    async gradient(tile: CaffeImage, step: GradientStep<tf.Tensor4D>) {
      let content: tf.Scalar | null = null;
      const loss = (x: tf.Tensor4D): tf.Scalar => {
        const features = net.features(x, needed, pooling);
        let c: tf.Scalar = tf.scalar(0);
        contentLayers.forEach((layer, i) => {
          const f = features.get(layer) as tf.Tensor4D;
          const [, h, w] = f.shape;
          const inside = tf.tensor4d(step.contentMasks[i] as Float32Array, [1, h, w, 1]);
          const diff = tf.sub(f, step.contentTargets[i] as tf.Tensor4D);
          c = tf.add(c, tf.mul(0.5, tf.sum(tf.mul(tf.square(diff), inside))));
        });
        content = tf.keep(c);
        let total: tf.Scalar = tf.mul(step.contentWeight, c);
        styleLayers.forEach((layer, i) => {
          const f = features.get(layer) as tf.Tensor4D;
          const n = f.shape[3];
          (step.styleMasks[i] ?? []).forEach((m, r) => {
            const fm = weighted(f, m);
            const d = tf.tensor2d(step.styleSeeds[i]?.[r] as Float32Array, [n, n]);
            // ½ Σ F_m ∘ (F_m D): its gradient at F_m is F_m D (D symmetric), i.e. D F_m with F as [N, positions].
            total = tf.add(total, tf.mul(0.5, tf.sum(tf.mul(fm, tf.matMul(fm, d)))));
          });
        });
        return total;
      };
      const { value, grad } = tf.tidy(() => tf.valueAndGrad(loss)(image(tile)));
      try {
        const [gradient, c] = await Promise.all([
          grad.data() as Promise<Float32Array>,
          (content as unknown as tf.Scalar).data(),
        ]);
        return { content: c[0] as number, gradient };
      } finally {
        value.dispose();
        grad.dispose();
        (content as tf.Scalar | null)?.dispose();
      }
    },

    async contentLoss(tile, targets, masks) {
      if (contentLayers.length === 0) return 0;
      const total = tf.tidy(() => {
        const features = net.features(image(tile), contentLayers, pooling);
        const terms = contentLayers.map((layer, i) => {
          const f = features.get(layer) as tf.Tensor4D;
          const [, h, w] = f.shape;
          const inside = tf.tensor4d(masks[i] as Float32Array, [1, h, w, 1]);
          return tf.mul(0.5, tf.sum(tf.mul(tf.square(tf.sub(f, targets[i] as tf.Tensor4D)), inside)));
        });
        return tf.addN(terms) as tf.Scalar;
      });
      try {
        return (await total.data())[0] as number;
      } finally {
        total.dispose();
      }
    },

    disposeTargets(targets) {
      for (const t of targets) t.dispose();
    },
    dispose() {},
  };
}
