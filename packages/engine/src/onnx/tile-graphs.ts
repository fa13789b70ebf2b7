/**
 * The two graphs of the tiled loss on ONNX Runtime (../tiling/tiled-loss-program.ts says why tiling is exact), each
 * built for one tile size, with the weights as constants:
 *   grams     per style layer and region, Σ over the tile of (F ∘ m)(F ∘ m)ᵀ, m the interior times the region's mask
 *   gradient  ½ Σ w (F − P)² over content layers (w the interior), and d/dx of α·that plus, per style layer and
 *             region, the style loss's share of this tile: its gradient at F is (D F_m) ∘ m, D from the global Grams;
 *             with own_grams set, the tile's own Grams G_t too (pass 1 skipped it), and D + k (G_t + G_tᵀ) as the seed
 */
import { type ConvLayerName, convChannels, featureSize } from '../network/layers.js';
import type { Pooling } from '../network/pool.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { GraphBuilder } from './graph-builder.js';
import { squaredSum, sumAll } from './loss-graph.js';
import { requireName } from './targets-graph.js';
import { buildBackward, buildForward, type ConvAlgorithm, toNchw } from './vgg-graph.js';

export interface TileLayout {
  readonly contentLayers: readonly ConvLayerName[];
  readonly styleLayers: readonly ConvLayerName[];
  readonly regions: number;
  readonly pooling: Pooling;
}

export const TILE_IO = {
  image: 'x',
  contentWeight: 'content_weight',
  /** Per style layer and region: the tile's weights at the layer, [1, 1, h, w]. */
  styleMask: (layer: ConvLayerName, region: number) => `style_mask_${layer}_r${region}`,
  /** Per content layer: the tile's interior at the layer, [1, 1, h, w]. */
  contentMask: (layer: ConvLayerName) => `content_mask_${layer}`,
  /** Per content layer: the content image's features on the tile, [1, N, h, w]. */
  contentTarget: (layer: ConvLayerName) => `content_target_${layer}`,
  /** Per style layer and region: D, [N, N]. */
  styleSeed: (layer: ConvLayerName, region: number) => `style_seed_${layer}_r${region}`,
  gram: (layer: ConvLayerName, region: number) => `gram_${layer}_r${region}`,
  /** > 0: the gradient graph computes the tile's own Grams and adds them into its seeds (a scalar). */
  ownGrams: 'own_grams',
  /** Per style layer and region: k, the seed being D + k (G_t + G_tᵀ) under own_grams (a scalar). */
  ownGramScale: (layer: ConvLayerName, region: number) => `own_gram_scale_${layer}_r${region}`,
  /** Per style layer and region: the tile's Grams G_t under own_grams, zeros otherwise, [N, N]. */
  ownGram: (layer: ConvLayerName, region: number) => `own_gram_${layer}_r${region}`,
  content: 'content',
  gradient: 'gradient',
} as const;

type Size = { readonly height: number; readonly width: number };

function layerDims(layer: ConvLayerName, size: Size, channels?: number): number[] {
  const at = featureSize(layer, size.height, size.width);
  return [1, channels ?? 1, at.height, at.width];
}

/** F ∘ m as [N, positions], for the activation `a` of `layer` and the input mask of `region`. */
function maskedFeatures(g: GraphBuilder, a: string, layer: ConvLayerName, region: number, size: Size) {
  const name = TILE_IO.styleMask(layer, region);
  const mask = requireName(g.input(name, layerDims(layer, size)), name);
  const n = convChannels(layer).outChannels;
  const fm = g.op('Reshape', [g.op('Mul', [a, mask]), g.ints('n_by_m', [n, -1])], {}, `${layer}_r${region}_Fm`);
  return { mask, fm };
}

/** Pass 1: the tile's Grams of masked features, per style layer and region. */
export function buildTileGramModel(
  weights: Vgg19Weights,
  layout: TileLayout,
  size: Size,
  conv: ConvAlgorithm = 'direct',
): Uint8Array {
  const g = new GraphBuilder('impasto_tile_grams');
  const x = requireName(g.input(TILE_IO.image, [1, size.height, size.width, 3]), TILE_IO.image);
  const forward = buildForward(g, toNchw(g, x), weights, layout.styleLayers, layout.pooling, size, conv);
  for (const layer of layout.styleLayers) {
    const n = convChannels(layer).outChannels;
    for (let r = 0; r < layout.regions; r++) {
      const { fm } = maskedFeatures(g, forward.activations.get(layer) as string, layer, r, size);
      g.output(TILE_IO.gram(layer, r), g.op('Gemm', [fm, fm], { transB: 1 }), [n, n]);
    }
  }
  return g.toBytes();
}

/**
 * Under own_grams (`cond`), the tile's Grams G_t of `fm` (an output) and k (G_t + G_tᵀ), the share of the seed D that
 * pass 1 left out by skipping this tile; zeros otherwise, the Gram not computed (an If). One If per layer and region,
 * so each F_m can go once its own seed is done. Returns the seed's share.
 */
function ownGramSeed(g: GraphBuilder, cond: string, layer: ConvLayerName, r: number, fm: string): string {
  const n = convChannels(layer).outChannels;
  const scale = requireName(g.input(TILE_IO.ownGramScale(layer, r), []), TILE_IO.ownGramScale(layer, r));
  const [gram, share] = g.ifElse(
    `${layer}_r${r}_own`,
    cond,
    [
      [n, n],
      [n, n],
    ],
    (b) => {
      const gt = b.op('Gemm', [fm, fm], { transB: 1 });
      return [gt, b.op('Mul', [b.op('Add', [gt, b.op('Transpose', [gt])]), scale])];
    },
    () => {
      const zeros = g.floats(`zeros_${layer}_r${r}`, new Float32Array(n * n), [n, n]);
      return [zeros, zeros];
    },
  ) as [string, string];
  g.output(TILE_IO.ownGram(layer, r), gram, [n, n]);
  return share;
}

/** Pass 2: the tile's content sum and the gradient with respect to its pixels. */
export function buildTileGradientModel(
  weights: Vgg19Weights,
  layout: TileLayout,
  size: Size,
  conv: ConvAlgorithm = 'direct',
): Uint8Array {
  const g = new GraphBuilder('impasto_tile_gradient');
  const imageDims = [1, size.height, size.width, 3];
  const x = requireName(g.input(TILE_IO.image, imageDims), TILE_IO.image);
  const needed = [...new Set([...layout.contentLayers, ...layout.styleLayers])];
  const forward = buildForward(g, toNchw(g, x), weights, needed, layout.pooling, size, conv);
  const act = (layer: ConvLayerName) => forward.activations.get(layer) as string;
  const seeds = new Map<ConvLayerName, string[]>();
  const addSeed = (layer: ConvLayerName, t: string) => seeds.set(layer, [...(seeds.get(layer) ?? []), t]);

  const halves: string[] = [];
  if (layout.contentLayers.length > 0) {
    const alpha = requireName(g.input(TILE_IO.contentWeight, []), TILE_IO.contentWeight);
    for (const layer of layout.contentLayers) {
      const n = convChannels(layer).outChannels;
      const target = requireName(
        g.input(TILE_IO.contentTarget(layer), layerDims(layer, size, n)),
        TILE_IO.contentTarget(layer),
      );
      const inside = requireName(
        g.input(TILE_IO.contentMask(layer), layerDims(layer, size)),
        TILE_IO.contentMask(layer),
      );
      const d = g.op('Mul', [g.op('Sub', [act(layer), target]), inside], {}, `${layer}_content_diff`);
      halves.push(squaredSum(g, d, 4));
      addSeed(layer, g.op('Mul', [d, alpha]));
    }
  }
  if (layout.styleLayers.length > 0 && layout.regions > 0) {
    const flag = requireName(g.input(TILE_IO.ownGrams, []), TILE_IO.ownGrams);
    const cond = g.op('Greater', [flag, g.scalar('zero_flag', 0)]);
    for (const layer of layout.styleLayers) {
      const n = convChannels(layer).outChannels;
      for (let r = 0; r < layout.regions; r++) {
        const { mask, fm } = maskedFeatures(g, act(layer), layer, r, size);
        const name = TILE_IO.styleSeed(layer, r);
        const d = g.op('Add', [requireName(g.input(name, [n, n]), name), ownGramSeed(g, cond, layer, r, fm)]);
        const dF = g.op('Reshape', [g.op('MatMul', [d, fm]), g.op('Shape', [act(layer)])]);
        addSeed(layer, g.op('Mul', [dF, mask], {}, `${layer}_r${r}_style_seed`));
      }
    }
  }
  const summed = new Map([...seeds].map(([layer, ts]) => [layer, sumAll(g, ts) as string]));
  const dx = g.op('Transpose', [buildBackward(g, forward, summed)], { perm: [0, 2, 3, 1] });
  const content =
    halves.length > 0 ? g.op('Mul', [sumAll(g, halves) as string, g.scalar('half', 0.5)]) : g.scalar('no_content', 0);
  g.output(TILE_IO.content, content, []);
  g.output(TILE_IO.gradient, dx, imageDims);
  return g.toBytes();
}
