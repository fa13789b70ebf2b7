/** The forward-only graph that computes a run's targets once: content activations P_l and style Grams G_l/M. */
import { type ConvLayerName, convChannels } from '../network/layers.js';
import type { Pooling } from '../network/pool.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { type Dim, GraphBuilder } from './graph-builder.js';
import { buildForward, toNchw } from './vgg-graph.js';

/** An image as the engine holds it: interleaved [h, w, 3] (Caffe BGR, mean subtracted), with a batch of one. */
export const IMAGE_DIMS: readonly Dim[] = [1, 'H', 'W', 3];

export function requireName(actual: string, wanted: string): string {
  if (actual !== wanted) throw new Error(`internal: graph name ${wanted} is taken`);
  return actual;
}

/** G/M = F Fᵀ / M of an NCHW activation [1, N, h, w], with F as [N, M] and M = h·w read at run time. */
export function gramOverM(
  g: GraphBuilder,
  activation: string,
  layer: ConvLayerName,
): { f: string; gram: string; m: string; n: number } {
  const n = convChannels(layer).outChannels;
  const f = g.op('Reshape', [activation, g.ints('n_by_m', [n, -1])], {}, `${layer}_F`);
  const positions = g.op('ReduceProd', [g.op('Shape', [activation], { start: 2 })], { keepdims: 0 });
  const m = g.op('Cast', [positions], { to: 1 }, `${layer}_M`);
  const gram = g.op('Div', [g.op('Gemm', [f, f], { transB: 1 }), m], {}, `${layer}_gram`);
  return { f, gram, m, n };
}

export const TARGETS_IO = {
  image: 'image',
  contentFeature: (layer: ConvLayerName) => `content_feature_${layer}`,
  styleGram: (layer: ConvLayerName) => `style_gram_${layer}`,
} as const;

/** One model for both kinds of target; a run fetches the content outputs for the content image, Grams for styles. */
export function buildTargetsModel(
  weights: Vgg19Weights,
  contentLayers: readonly ConvLayerName[],
  styleLayers: readonly ConvLayerName[],
  pooling: Pooling,
): Uint8Array {
  const g = new GraphBuilder('impasto_targets');
  const image = requireName(g.input(TARGETS_IO.image, IMAGE_DIMS), TARGETS_IO.image);
  const content = [...new Set(contentLayers)];
  const style = [...new Set(styleLayers)];
  const forward = buildForward(g, toNchw(g, image), weights, [...new Set([...content, ...style])], pooling);
  for (const layer of content) {
    const n = convChannels(layer).outChannels;
    g.output(TARGETS_IO.contentFeature(layer), forward.activations.get(layer) as string, [
      1,
      n,
      `h_${layer}`,
      `w_${layer}`,
    ]);
  }
  for (const layer of style) {
    const { gram, n } = gramOverM(g, forward.activations.get(layer) as string, layer);
    g.output(TARGETS_IO.styleGram(layer), gram, [n, n]);
  }
  return g.toBytes();
}
