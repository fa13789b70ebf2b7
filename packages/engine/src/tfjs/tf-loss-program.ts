import { layoutOf } from '../compute/loss-layout.js';
import {
  deliverGradient,
  type Evaluation,
  type LossProgram,
  type LossProgramHooks,
  type LossSpec,
  type LossTerms,
} from '../compute/loss-program.js';
import { checkMasks, maskAtLayer, maskPositions, styleRegions } from '../compute/style-regions.js';
import { contentLoss } from '../losses/content.js';
import { gramOverM } from '../losses/gram.js';
import { guidedStyleLayerLoss, styleLayerLoss } from '../losses/style.js';
import { totalVariationLoss } from '../losses/total-variation.js';
import { type DeviceLimits, passTiling } from '../memory/memory-policy.js';
import { type ConvLayerName, featureSize } from '../network/layers.js';
import type { Vgg19 } from '../network/vgg19.js';
import { chooseTileSide } from '../tiling/budget.js';
import { createTiledLossProgram } from '../tiling/tiled-loss-program.js';
import { tf } from './tf.js';
import { createTfTileRunner } from './tf-tile-runner.js';

/** What the active tfjs backend's device allows one tensor (memory-policy.ts caps tiles by it). */
export function tfDeviceLimits(backend: string): DeviceLimits {
  if (backend === 'webgl') return { maxTextureSize: tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE') };
  const device = (
    tf.backend() as { device?: { limits?: { maxStorageBufferBindingSize: number; maxBufferSize: number } } }
  ).device;
  if (backend !== 'webgpu' || !device?.limits) return {};
  return { maxBufferBytes: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) };
}

/**
 * The loss on tfjs for `spec`: untiled when one pass over the image fits the budget memory-policy.ts gives
 * `backend`, else tiled (tiling/) with `hooks`.
 */
export function createTfProgram(net: Vgg19, spec: LossSpec, backend: string, hooks?: LossProgramHooks): LossProgram {
  const layout = layoutOf(spec);
  const layers = [...layout.contentLayers, ...layout.styleLayers];
  const tileSide = chooseTileSide(spec.width, spec.height, layers, {
    ...passTiling(backend, spec, layers, tfDeviceLimits(backend)),
    tileSize: spec.tileSize,
  });
  if (tileSide === null) return createTfLossProgram(net, spec);
  checkMasks(spec);
  return createTiledLossProgram(spec, layout, createTfTileRunner(net, layout), tileSide, hooks);
}

function imageTensor(data: Float32Array, width: number, height: number): tf.Tensor4D {
  return tf.tensor4d(data, [1, height, width, 3]);
}

/** One style region's blended Gram targets A/M per layer, and its mask per layer (absent: everywhere). */
interface RegionTargets {
  readonly targets: Map<ConvLayerName, tf.Tensor2D>;
  readonly masks: Map<ConvLayerName, { mask: tf.Tensor4D; positions: number }> | null;
}

/** Per style region (style-regions.ts): Σ_s weight_s · G_s/M_s per style layer, and the region's layer masks. */
function styleTargets(net: Vgg19, spec: LossSpec): RegionTargets[] {
  const layers = [...new Set(spec.styleLayers)];
  return styleRegions(spec).map((region) => {
    const targets = new Map<ConvLayerName, tf.Tensor2D>();
    for (const style of region.styles) {
      tf.tidy(() => {
        const x = imageTensor(style.image.data, style.image.width, style.image.height);
        const features = net.features(x, layers, spec.pooling);
        for (const layer of layers) {
          const g = tf.mul(gramOverM(features.get(layer) as tf.Tensor4D), style.weight) as tf.Tensor2D;
          const previous = targets.get(layer);
          targets.set(layer, tf.keep(previous ? (tf.add(previous, g) as tf.Tensor2D) : g));
          previous?.dispose();
        }
      });
    }
    const { mask } = region;
    if (!mask) return { targets, masks: null };
    const masks = new Map(
      layers.map((layer) => {
        const m = maskAtLayer(mask, spec.width, spec.height, layer);
        const { height, width } = featureSize(layer, spec.height, spec.width);
        return [layer, { mask: tf.tensor4d(m, [1, height, width, 1]), positions: maskPositions(m) }] as const;
      }),
    );
    return { targets, masks };
  });
}

function contentTargets(net: Vgg19, spec: LossSpec): Map<ConvLayerName, tf.Tensor4D> {
  const targets = new Map<ConvLayerName, tf.Tensor4D>();
  tf.tidy(() => {
    const x = imageTensor(spec.content.data, spec.content.width, spec.content.height);
    for (const [layer, f] of net.features(x, spec.contentLayers, spec.pooling)) targets.set(layer, tf.keep(f));
  });
  return targets;
}

/** The Gatys loss on tfjs: targets computed once here, then evaluate() per optimiser call. */
export function createTfLossProgram(net: Vgg19, spec: LossSpec): LossProgram {
  const { width, height } = spec;
  if (spec.content.width !== width || spec.content.height !== height) {
    throw new Error(`content is ${spec.content.width}x${spec.content.height}, expected ${width}x${height}`);
  }
  checkMasks(spec);
  const needed = [...new Set([...spec.contentLayers, ...spec.styleLayers])];
  const content = spec.contentWeight > 0 ? contentTargets(net, spec) : new Map<ConvLayerName, tf.Tensor4D>();
  const regions = spec.styleWeight > 0 ? styleTargets(net, spec) : [];
  let terms: tf.Tensor1D | null = null;

  /** Total loss of an image tensor; leaves the three weighted terms in `terms`. */
  const totalLoss = (x: tf.Tensor4D): tf.Scalar => {
    const layers = needed.filter((l) => content.has(l) || (regions.length > 0 && spec.styleLayers.includes(l)));
    const features = layers.length > 0 ? net.features(x, layers, spec.pooling) : new Map();
    let c: tf.Scalar = tf.scalar(0);
    for (const [layer, target] of content) c = tf.add(c, contentLoss(features.get(layer), target));
    let s: tf.Scalar = tf.scalar(0);
    for (const { targets, masks } of regions) {
      spec.styleLayers.forEach((layer, i) => {
        const target = targets.get(layer) as tf.Tensor2D;
        const guide = masks?.get(layer);
        const e = guide
          ? guidedStyleLayerLoss(features.get(layer), target, guide.mask, guide.positions)
          : styleLayerLoss(features.get(layer), target);
        s = tf.add(s, tf.mul(spec.styleLayerWeights[i] as number, e));
      });
    }
    const tv = spec.tvWeight > 0 ? totalVariationLoss(x) : tf.scalar(0);
    const weighted = tf.stack([tf.mul(spec.contentWeight, c), tf.mul(spec.styleWeight, s), tf.mul(spec.tvWeight, tv)]);
    terms = tf.keep(weighted as tf.Tensor1D);
    return tf.sum(weighted);
  };
  const valueAndGrad = tf.valueAndGrad(totalLoss);
  /** The three weighted terms `totalLoss` left, read and released. */
  const readTerms = async (): Promise<LossTerms> => {
    const kept = terms as tf.Tensor1D;
    terms = null;
    try {
      const [c, s, tv] = (await kept.data()) as unknown as [number, number, number];
      return { total: c + s + tv, content: c, style: s, tv };
    } finally {
      kept.dispose();
    }
  };

  return {
    async evaluate(data: Float32Array, gradientInto?: Float32Array): Promise<Evaluation> {
      const { value, grad } = tf.tidy(() => valueAndGrad(imageTensor(data, width, height)));
      try {
        const [gradient, weighted] = await Promise.all([grad.data() as Promise<Float32Array>, readTerms()]);
        return { terms: weighted, gradient: deliverGradient(gradient, gradientInto) };
      } finally {
        value.dispose();
        grad.dispose();
      }
    },
    async evaluateLoss(data: Float32Array): Promise<LossTerms> {
      tf.tidy(() => totalLoss(imageTensor(data, width, height))).dispose();
      return readTerms();
    },
    dispose() {
      for (const t of content.values()) t.dispose();
      for (const { targets, masks } of regions) {
        for (const t of targets.values()) t.dispose();
        for (const m of masks?.values() ?? []) m.mask.dispose();
      }
      content.clear();
      regions.length = 0;
    },
  };
}
