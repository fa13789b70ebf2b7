/**
 * Impasto's loss and its gradient with respect to the image as one ONNX graph, the backward pass written out by
 * hand. Same equations as the tfjs path (losses/*.ts):
 *   content  Σ_l 1/2 Σ (F_l − P_l)²                      d/dF_l = F_l − P_l
 *   style    Σ_l w_l/(4N²) Σ (G_l/M − A_l/M)²            d/dF_l = w_l (G_l/M − A_l/M) F_l / (N² M)   (G − A symmetric)
 *   tv       Σ (x[i+1, j] − x[i, j])² + Σ (x[i, j+1] − x[i, j])²
 * with F_l a layer's activation as [N, M] (N channels, M = h·w positions) and G_l = F_l F_lᵀ; a style region with a
 * mask uses guided Gram matrices instead (guidedStyleTerm, ../compute/style-regions.ts). The graph's outputs are the three
 * weighted terms (α·content, β·style, tvWeight·tv) and d total / d x; the weights are inputs, so one session serves
 * every spec with the same layers, style regions, pooling and size.
 */

import type { LossLayout } from '../compute/loss-layout.js';
import { type ConvLayerName, convChannels, featureSize } from '../network/layers.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { GraphBuilder } from './graph-builder.js';
import { gramOverM, requireName } from './targets-graph.js';
import { buildBackward, buildForward, type ConvAlgorithm, toNchw } from './vgg-graph.js';

export type { LossLayout };

/** Input and output names of the loss graph. */
export const LOSS_IO = {
  image: 'x',
  /** α, a scalar. */
  contentWeight: 'content_weight',
  /** tvWeight, a scalar. */
  tvWeight: 'tv_weight',
  /** P_l: the content image's activation, NCHW [1, C, h, w]. */
  contentTarget: (layer: ConvLayerName) => `content_target_${layer}`,
  /** β·w_l, a scalar (summed over repeats of a layer). */
  styleWeight: (layer: ConvLayerName) => `style_weight_${layer}`,
  /** A_l/M of style region r: its styles' blended Gram target, [N, N]. */
  styleTarget: (layer: ConvLayerName, region: number) => `style_target_${layer}_r${region}`,
  /** Style region r's mask at the layer's size, [1, 1, h, w] (masked regions only). */
  styleMask: (layer: ConvLayerName, region: number) => `style_mask_${layer}_r${region}`,
  contentTerm: 'content',
  styleTerm: 'style',
  tvTerm: 'tv',
  gradient: 'gradient',
} as const;

export function sumAll(g: GraphBuilder, terms: readonly string[]): string | null {
  return terms.reduce<string | null>((acc, t) => (acc ? g.op('Add', [acc, t]) : t), null);
}

/**
 * Σ of all of `t`'s values (rank 2 or 4) in two stages, its trailing axes first (a row of a Gram matrix, a feature
 * map), then the rest: each float32 sum runs over ~√n values rather than n. onnxruntime-web's WebAssembly reduces in
 * order, and one sum over conv5_1's 512² Gram differences put its style term 2.4e-5 off a float64 reference
 * (2.6e-6 for onnxruntime-node); in two stages both are within 3e-6.
 */
export function sumOf(g: GraphBuilder, t: string, rank: 2 | 4): string {
  const partial = g.op('ReduceSum', [t, g.ints(`trailing_axes_${rank}`, rank === 2 ? [1] : [2, 3])], { keepdims: 0 });
  return g.op('ReduceSum', [partial], { keepdims: 0 });
}

export function squaredSum(g: GraphBuilder, t: string, rank: 2 | 4): string {
  return sumOf(g, g.op('Mul', [t, t]), rank);
}

/** Σ squared neighbour differences of x (NHWC) and its gradient, both times tvWeight. */
function totalVariation(g: GraphBuilder, x: string, weight: string): { term: string; grad: string } {
  const end = g.ints('end', [Number.MAX_SAFE_INTEGER]);
  const diff = (axis: number) => {
    const ax = g.ints(`axis${axis}`, [axis]);
    const next = g.op('Slice', [x, g.ints('one', [1]), end, ax]);
    const prev = g.op('Slice', [x, g.ints('zero', [0]), g.ints('minus_one', [-1]), ax]);
    return g.op('Sub', [next, prev]);
  };
  const pad = (t: string, where: number) => {
    const pads = [0, 0, 0, 0, 0, 0, 0, 0];
    pads[where] = 1;
    return g.op('Pad', [t, g.ints('pads', pads)]);
  };
  const down = diff(1);
  const right = diff(2);
  const term = g.op('Mul', [g.op('Add', [squaredSum(g, down, 4), squaredSum(g, right, 4)]), weight], {}, 'tv_term');
  // d/dx[i] of Σ (x[i+1] − x[i])² is 2 (x[i] − x[i−1]) − 2 (x[i+1] − x[i]): the differences shifted by one each way.
  const vertical = g.op('Sub', [pad(down, 1), pad(down, 5)]);
  const horizontal = g.op('Sub', [pad(right, 2), pad(right, 6)]);
  const twice = g.op('Mul', [weight, g.scalar('two', 2)]);
  return { term, grad: g.op('Mul', [g.op('Add', [vertical, horizontal]), twice], {}, 'tv_grad') };
}

/** One region's style term w/(4N²) Σ (G/M − A)² at `layer` (w: the `weight` input), and its d/d activation. */
function styleTerm(g: GraphBuilder, a: string, layer: ConvLayerName, region: number, weight: string) {
  const { f, gram, m, n } = gramOverM(g, a, layer);
  const name = LOSS_IO.styleTarget(layer, region);
  const target = requireName(g.input(name, [n, n]), name);
  const d = g.op('Sub', [gram, target], {}, `${layer}_gram_diff`);
  const term = g.op('Mul', [g.op('Div', [squaredSum(g, d, 2), g.scalar('four_n2', 4 * n * n)]), weight]);
  // d/dF = w (G/M − A) F / (N² M), G − A being symmetric.
  const coef = g.op('Div', [weight, g.op('Mul', [m, g.scalar('n2', n * n)])]);
  const dF = g.op('Mul', [g.op('MatMul', [d, f]), coef]);
  return { term, seed: g.op('Reshape', [dF, g.op('Shape', [a])], {}, `${layer}_style_seed`) };
}

/**
 * A masked region's guided style term (style-regions.ts): with F_m = F ∘ m and M_m = Σ m²,
 * w (M_m/M) · 1/(4N²) Σ (G_m/M_m − A)², and its d/d activation w (G_m/M_m − A) F_m ∘ m / (N² M).
 */
function guidedStyleTerm(
  g: GraphBuilder,
  a: string,
  layer: ConvLayerName,
  region: number,
  weight: string,
  size: { readonly height: number; readonly width: number },
) {
  const n = convChannels(layer).outChannels;
  const at = featureSize(layer, size.height, size.width);
  const positions = at.height * at.width;
  const maskName = LOSS_IO.styleMask(layer, region);
  const mask = requireName(g.input(maskName, [1, 1, at.height, at.width]), maskName);
  const targetName = LOSS_IO.styleTarget(layer, region);
  const target = requireName(g.input(targetName, [n, n]), targetName);
  const { f, gram: gramOverAll } = gramOverM(g, g.op('Mul', [a, mask]), layer); // F_m and G_m/M
  const mm = g.op('Identity', [squaredSum(g, mask, 4)], {}, `${layer}_r${region}_positions`);
  // G_m/M_m = (G_m/M) · M/M_m. An empty mask makes F_m and G_m zero; a tiny M_m instead of 0 keeps the term at 0.
  const toMasked = g.op('Div', [g.scalar('positions', positions), g.op('Max', [mm, g.scalar('tiny', 1e-30)])]);
  const gram = g.op('Mul', [gramOverAll, toMasked]);
  const d = g.op('Sub', [gram, target]);
  const share = g.op('Div', [mm, g.scalar('positions', positions)]);
  const e = g.op('Mul', [g.op('Div', [squaredSum(g, d, 2), g.scalar('four_n2', 4 * n * n)]), share]);
  const term = g.op('Mul', [e, weight]);
  const coef = g.op('Mul', [weight, g.scalar('inv_n2m', 1 / (n * n * positions))]);
  const dF = g.op('Mul', [g.op('MatMul', [d, f]), coef]);
  const seed = g.op('Mul', [g.op('Reshape', [dF, g.op('Shape', [a])]), mask], {}, `${layer}_r${region}_style_seed`);
  return { term, seed };
}

/**
 * The serialised loss-and-gradient model for `layout` at one image size, with the weights as constants. Built per
 * size (in ~0.4 s at 256 px) because ONNX Runtime keeps the backward pass in its blocked conv layout only where it can
 * prove tensor shapes equal, which free dimensions hide from it: 7–10% of a step here (see README).
 */
export function buildLossModel(
  weights: Vgg19Weights,
  layout: LossLayout,
  size: { readonly height: number; readonly width: number },
  conv: ConvAlgorithm = 'direct',
): Uint8Array {
  const g = new GraphBuilder('impasto_loss_and_gradient');
  const imageDims = [1, size.height, size.width, 3];
  const x = requireName(g.input(LOSS_IO.image, imageDims), LOSS_IO.image);
  const contentLayers = [...new Set(layout.contentLayers)];
  const styleLayers = [...new Set(layout.styleLayers)];
  const needed = [...new Set([...contentLayers, ...styleLayers])];
  const zero = g.scalar('zero_term', 0);
  const seeds = new Map<ConvLayerName, string[]>();
  const addSeed = (layer: ConvLayerName, t: string) => seeds.set(layer, [...(seeds.get(layer) ?? []), t]);

  let content = zero;
  let style = zero;
  let networkGrad: string | null = null;
  if (needed.length > 0) {
    const forward = buildForward(g, toNchw(g, x), weights, needed, layout.pooling, size, conv);
    const act = (layer: ConvLayerName) => forward.activations.get(layer) as string;

    if (contentLayers.length > 0) {
      const alpha = requireName(g.input(LOSS_IO.contentWeight, []), LOSS_IO.contentWeight);
      const halves: string[] = [];
      for (const layer of contentLayers) {
        const at = featureSize(layer, size.height, size.width);
        const dims = [1, convChannels(layer).outChannels, at.height, at.width];
        const target = requireName(g.input(LOSS_IO.contentTarget(layer), dims), LOSS_IO.contentTarget(layer));
        const d = g.op('Sub', [act(layer), target], {}, `${layer}_content_diff`);
        halves.push(squaredSum(g, d, 4));
        addSeed(layer, g.op('Mul', [d, alpha]));
      }
      const sum = sumAll(g, halves) as string;
      content = g.op('Mul', [g.op('Mul', [sum, g.scalar('half', 0.5)]), alpha], {}, 'content_term');
    }

    if (styleLayers.length > 0) {
      const terms: string[] = [];
      for (const layer of styleLayers) {
        const weight = requireName(g.input(LOSS_IO.styleWeight(layer), []), LOSS_IO.styleWeight(layer));
        layout.styleRegions.forEach(({ masked }, region) => {
          const { term, seed } = masked
            ? guidedStyleTerm(g, act(layer), layer, region, weight, size)
            : styleTerm(g, act(layer), layer, region, weight);
          terms.push(term);
          addSeed(layer, seed);
        });
      }
      style = g.op('Identity', [sumAll(g, terms) as string], {}, 'style_term');
    }

    const summed = new Map([...seeds].map(([layer, ts]) => [layer, sumAll(g, ts) as string]));
    const dxNchw = buildBackward(g, forward, summed);
    networkGrad = g.op('Transpose', [dxNchw], { perm: [0, 2, 3, 1] }, 'dx_network');
  }

  const tvWeight = requireName(g.input(LOSS_IO.tvWeight, []), LOSS_IO.tvWeight);
  const tv = totalVariation(g, x, tvWeight);
  const gradient = networkGrad ? g.op('Add', [networkGrad, tv.grad]) : tv.grad;

  g.output(LOSS_IO.contentTerm, content, []);
  g.output(LOSS_IO.styleTerm, style, []);
  g.output(LOSS_IO.tvTerm, tv.term, []);
  g.output(LOSS_IO.gradient, gradient, imageDims);
  return g.toBytes();
}
