/**
 * The two passes of the tiled loss on tfjs (any backend): see tile-runner.ts and tiled-loss-program.ts. The content
 * targets of every tile (the content image's features: the whole image's, at 4096 px hundreds of MB) are kept in the
 * page's memory, not the backend's: a wasm heap or a GPU then holds one tile's pass, whatever the image's size
 * (memory-policy.ts), and each gradient tile uploads its own.
 */

import type { LossLayout } from '../compute/loss-layout.js';
import type { CaffeImage } from '../image/caffe.js';
import type { Vgg19 } from '../network/vgg19.js';
import type { GradientStep, TileMasks, TileRunner } from '../tiling/tile-runner.js';
import { tf } from './tf.js';

/** Features [1, h, w, N] as [positions, N], weighted per position by `weights` [h·w]. */
function weighted(f: tf.Tensor4D, weights: Float32Array): tf.Tensor2D {
  const [, h, w, n] = f.shape;
  return tf.mul(tf.reshape(f, [h * w, n]), tf.tensor2d(weights, [h * w, 1])) as tf.Tensor2D;
}

/** A content layer's features on one tile, as data. */
export interface FeatureData {
  readonly data: Float32Array;
  readonly shape: [number, number, number, number];
}

/**
 * ½ Σ_p m_p² F_p D F_pᵀ over a tile's positions p (F as [positions, N], m² as [positions, 1], D symmetric N x N),
 * with its gradient at F, m² ∘ (F D), given by hand: the tape would keep about ten position-sized products per layer
 * (the weighted features, their product with D, and each one's gradient), this keeps one. It is ½ Σ F_m ∘ (F_m D)
 * with F_m = F ∘ m, whose gradient at F_m is F_m D (tile-runner.ts).
 */
const maskedStyleTerm = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [f, squares, d, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  const seed = tf.tidy(() => tf.mul(tf.matMul(f, d), squares));
  save([seed]);
  return {
    value: tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(f, seed)))) as tf.Scalar,
    gradFunc: (dy: tf.Scalar, [saved]: tf.Tensor[]) => [
      tf.mul(dy, saved as tf.Tensor),
      tf.zerosLike(squares),
      tf.zerosLike(d),
    ],
  };
}) as (f: tf.Tensor2D, squares: tf.Tensor2D, d: tf.Tensor2D) => tf.Scalar;

/** ½ Σ over a tile's interior (`mask` [h·w]) of a content layer's squared difference from its target. */
function maskedContentTerm(f: tf.Tensor4D, mask: Float32Array, target: FeatureData): tf.Scalar {
  const [, h, w] = f.shape;
  const inside = tf.tensor4d(mask, [1, h, w, 1]);
  const diff = tf.sub(f, tf.tensor4d(target.data, target.shape));
  return tf.mul(0.5, tf.sum(tf.mul(tf.square(diff), inside)));
}

/** Pass 2 on one tile: its content term, and the gradient of its share of the loss with respect to its pixels. */
async function tileGradient(
  net: Vgg19,
  layout: LossLayout,
  tile: CaffeImage,
  step: GradientStep<FeatureData>,
): Promise<{ content: number; gradient: Float32Array }> {
  const { contentLayers, styleLayers, pooling } = layout;
  const needed = [...new Set([...contentLayers, ...styleLayers])];
  let content: tf.Scalar | null = null;
  const loss = (x: tf.Tensor4D): tf.Scalar => {
    const features = net.features(x, needed, pooling);
    let c: tf.Scalar = tf.scalar(0);
    contentLayers.forEach((layer, i) => {
      const f = features.get(layer) as tf.Tensor4D;
      c = tf.add(c, maskedContentTerm(f, step.contentMasks[i] as Float32Array, step.contentTargets[i] as FeatureData));
    });
    content = tf.keep(c);
    let total: tf.Scalar = tf.mul(step.contentWeight, c);
    styleLayers.forEach((layer, i) => {
      const f = features.get(layer) as tf.Tensor4D;
      const [, h, w, n] = f.shape;
      const positions = tf.reshape(f, [h * w, n]) as tf.Tensor2D;
      (step.styleMasks[i] ?? []).forEach((m, r) => {
        const squares = tf.tensor2d(
          m.map((v) => v * v),
          [h * w, 1],
        );
        const d = tf.tensor2d(step.styleSeeds[i]?.[r] as Float32Array, [n, n]);
        total = tf.add(total, maskedStyleTerm(positions, squares, d));
      });
    });
    return total;
  };
  const { value, grad } = tf.tidy(() => tf.valueAndGrad(loss)(tf.tensor4d(tile.data, [1, tile.height, tile.width, 3])));
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
}

export function createTfTileRunner(net: Vgg19, layout: LossLayout): TileRunner<FeatureData> {
  const { contentLayers, styleLayers, pooling } = layout;
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
      // Reading them also waits for this tile's work on WebGL and WebGPU, so tile reports and cancellation between
      // tiles follow the work done.
      try {
        return await Promise.all(
          kept.map(async (f) => ({ data: (await f.data()) as Float32Array, shape: f.shape as FeatureData['shape'] })),
        );
      } finally {
        for (const f of kept) f.dispose();
      }
    },

    gradient: (tile: CaffeImage, step: GradientStep<FeatureData>) => tileGradient(net, layout, tile, step),

    async contentLoss(tile, targets, masks) {
      if (contentLayers.length === 0) return 0;
      const total = tf.tidy(() => {
        const features = net.features(image(tile), contentLayers, pooling);
        const terms = contentLayers.map((layer, i) =>
          maskedContentTerm(features.get(layer) as tf.Tensor4D, masks[i] as Float32Array, targets[i] as FeatureData),
        );
        return tf.addN(terms) as tf.Scalar;
      });
      try {
        return (await total.data())[0] as number;
      } finally {
        total.dispose();
      }
    },

    disposeTargets() {}, // plain data: the garbage collector takes it
    dispose() {},
  };
}
