/** VGG19's feature stack as ONNX nodes, forward and (written out by hand) backward to the image. */
import { type ConvLayerName, layersUpTo, requireLayers } from '../network/layers.js';
import type { Pooling } from '../network/pool.js';
import type { ConvWeights, Vgg19Weights } from '../network/weights-types.js';
import { inputGradientKernel, kernelOIHW } from './conv-kernels.js';
import { type WinogradTile, winogradConv3x3 } from './conv-winograd.js';
import type { GraphBuilder } from './graph-builder.js';

const FLOAT = 1; // onnx TensorProto.DataType.FLOAT
const CONV_ATTRS = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } as const;
const POOL_ATTRS = { kernel_shape: [2, 2], strides: [2, 2] } as const;

/**
 * How the graphs compute a 3x3 conv: ONNX's Conv, or Winograd's F(2x2, 3x3) or F(4x4, 3x3) in plain ops
 * (conv-winograd.ts) where the size is known, both sides are multiples of the block (F(4x4) falls back to F(2x2) on
 * sides that are only even) and both channel counts are at least WINOGRAD_MIN_CHANNELS. 'winograd-4x4-wide' is
 * F(4x4) only where both channel counts are at least WINOGRAD_WIDE_CHANNELS, its sides padded up to a multiple of 4
 * (paddedWinograd), direct elsewhere; 'winograd-4x4-wide-forward' is the same in the forward pass only, the gradient
 * convs direct (they hold most of Winograd's extra memory: see NODE_TILE_CONV, ort-node.ts). A Winograd kernel is
 * (m+2)²/9 times the direct kernel's bytes.
 */
export const CONV_ALGORITHMS = [
  'direct',
  'winograd-2x2',
  'winograd-4x4',
  'winograd-4x4-wide',
  'winograd-4x4-wide-forward',
] as const;
export type ConvAlgorithm = (typeof CONV_ALGORITHMS)[number];

/** Below this many channels on either side a conv stays direct: a GEMM that thin gains nothing from Winograd. */
const WINOGRAD_MIN_CHANNELS = 16;

/**
 * 'winograd-4x4-wide' keeps convs with fewer channels than this on either side direct. onnxruntime-node's native
 * convolutions (NCHWc, FMA) run near the CPU's peak, so Winograd wins only where its batched MatMuls are wide enough
 * to outweigh its transforms: per layer at 1024 px (shallow layers, AVX2, two threads), 256 → 256 channels 1.85x
 * faster, 128 → 256 1.5x, 128 → 128 1.3x, 64 → 128 even and 64 → 64 slower (onnx README).
 */
const WINOGRAD_WIDE_CHANNELS = 128;

type Step =
  | {
      readonly kind: 'conv';
      readonly name: ConvLayerName;
      readonly weights: ConvWeights;
      readonly activation: string;
      /** The conv's input and output size, where the graph knows it. */
      readonly side: GraphSize;
    }
  | {
      readonly kind: 'pool';
      readonly input: string;
      readonly output: string;
      /** Both sides of the input are known and even, so the upsampled gradient needs no padding. */
      readonly evenInput: boolean;
    };

/** An image size fixed when the graph is built, or null for free height and width. */
export type GraphSize = { readonly height: number; readonly width: number } | null;

/** The forward pass as built: the ReLU outputs by layer, and what the backward pass needs to retrace it. */
export interface VggForward {
  readonly activations: ReadonlyMap<ConvLayerName, string>;
  readonly steps: readonly Step[];
  readonly pooling: Pooling;
  readonly conv: ConvAlgorithm;
}

interface Conv3x3 {
  readonly input: string;
  /** OIHW [out, in, 3, 3]. */
  readonly kernel: Float32Array;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly side: GraphSize;
  readonly name: string;
}

/** The Winograd block for this conv under `algorithm`, or null for a direct Conv. */
function winogradTile(conv: Conv3x3, algorithm: ConvAlgorithm): WinogradTile | null {
  const { side } = conv;
  if (algorithm === 'direct' || side === null) return null;
  const channels = Math.min(conv.inChannels, conv.outChannels);
  const fits = (m: number) => side.height % m === 0 && side.width % m === 0;
  if (algorithm === 'winograd-4x4-wide' || algorithm === 'winograd-4x4-wide-forward') {
    return channels >= WINOGRAD_WIDE_CHANNELS ? 4 : null;
  }
  if (channels < WINOGRAD_MIN_CHANNELS) return null;
  if (algorithm !== 'winograd-2x2' && fits(4)) return 4;
  return fits(2) ? 2 : null;
}

/**
 * Winograd's conv of `conv.input` ([1, C, side]); a side that is not a multiple of the block is zero-padded at the
 * bottom/right up to one and the output cropped back. Exact: same padding pads with zeros too, so the rows and
 * columns added are the padding the original positions see.
 */
function paddedWinograd(
  g: GraphBuilder,
  conv: Conv3x3,
  side: { readonly height: number; readonly width: number },
  tile: WinogradTile,
): string {
  const up = (v: number) => Math.ceil(v / tile) * tile;
  const [height, width] = [up(side.height), up(side.width)];
  if (height === side.height && width === side.width) return winogradConv3x3(g, { ...conv, height, width }, tile);
  const pads = g.ints(`${conv.name}_wg_pads`, [0, 0, 0, 0, 0, 0, height - side.height, width - side.width]);
  const input = g.op('Pad', [conv.input, pads]);
  const y = winogradConv3x3(g, { ...conv, input, height, width }, tile);
  const [starts, ends] = [g.ints('crop_starts', [0, 0]), g.ints(`${conv.name}_wg_ends`, [side.height, side.width])];
  return g.op('Slice', [y, starts, ends, g.ints('crop_axes', [2, 3])]);
}

/** A same-padding 3x3 conv of `conv.input` plus `bias` (a constant's name, or none), by `algorithm` where it applies. */
function conv3x3(g: GraphBuilder, conv: Conv3x3, bias: string | null, algorithm: ConvAlgorithm, out: string): string {
  const { side, inChannels, outChannels } = conv;
  const tile = winogradTile(conv, algorithm);
  if (tile === null || side === null) {
    const kernel = g.floats(`${conv.name}_W`, conv.kernel, [outChannels, inChannels, 3, 3]);
    return g.op('Conv', [conv.input, kernel, ...(bias ? [bias] : [])], CONV_ATTRS, out);
  }
  const y = paddedWinograd(g, conv, side, tile);
  if (!bias) return g.op('Identity', [y], {}, out);
  const perChannel = g.op('Reshape', [bias, g.ints('bias_per_channel', [outChannels, 1, 1])]);
  return g.op('Add', [y, perChannel], {}, out);
}

/** NHWC [1, H, W, 3] image to NCHW, the layout of ONNX Conv. */
export function toNchw(g: GraphBuilder, nhwc: string): string {
  return g.op('Transpose', [nhwc], { perm: [0, 3, 1, 2] }, 'x_nchw');
}

/**
 * relu(conv(x)) for every layer up to the deepest of `needed` (2x2 stride-2 valid pooling between blocks). `size`
 * is the input's, when the graph is built for one size (it lets the backward pass skip padding on even sides).
 */
export function buildForward(
  g: GraphBuilder,
  xNchw: string,
  weights: Vgg19Weights,
  needed: readonly ConvLayerName[],
  pooling: Pooling,
  size: GraphSize = null,
  conv: ConvAlgorithm = 'direct',
): VggForward {
  requireLayers(weights.available, needed);
  const activations = new Map<ConvLayerName, string>();
  const steps: Step[] = [];
  let h = xNchw;
  let side = size;
  for (const spec of layersUpTo(needed)) {
    if (spec.kind === 'pool') {
      const output = g.op(pooling === 'avg' ? 'AveragePool' : 'MaxPool', [h], POOL_ATTRS, spec.name);
      const evenInput = side !== null && side.height % 2 === 0 && side.width % 2 === 0;
      steps.push({ kind: 'pool', input: h, output, evenInput });
      side = side && { height: Math.floor(side.height / 2), width: Math.floor(side.width / 2) };
      h = output;
      continue;
    }
    const w = weights.layers.get(spec.name);
    if (!w) throw new Error(`the weights lack ${spec.name}, which ${needed.join(', ')} depend on`);
    const bias = g.floats(`${spec.name}_B`, w.bias, [spec.outChannels]);
    const layer = { kernel: kernelOIHW(w), inChannels: spec.inChannels, outChannels: spec.outChannels, side };
    const z = conv3x3(g, { ...layer, input: h, name: spec.name }, bias, conv, `${spec.name}_z`);
    h = g.op('Relu', [z], {}, spec.name);
    activations.set(spec.name, h);
    steps.push({ kind: 'conv', name: spec.name, weights: w, activation: h, side });
  }
  return { activations, steps, pooling, conv };
}

/** Zero-pads `t` at the bottom/right to the shape of `like` (a pooled odd side dropped its last row/column). */
function padToShapeOf(g: GraphBuilder, t: string, like: string): string {
  const missing = g.op('Sub', [g.op('Shape', [like]), g.op('Shape', [t])]);
  const pads = g.op('Concat', [g.ints('no_pad', [0, 0, 0, 0]), missing], { axis: 0 });
  return g.op('Pad', [t, pads]);
}

/** Each value of [.., h, w] repeated over a 2x2 block: [.., 2h, 2w]. */
function upsample2x(g: GraphBuilder, t: string): string {
  const scales = g.floats('scales_2x', Float32Array.of(1, 1, 2, 2), [4]);
  return g.op('Resize', [t, '', scales], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
}

/**
 * The gradient of a 2x2 pooling with respect to its input. Average: the output gradient spread over each window
 * (its 1/4 is returned as `scale`, for the caller to fold into the next conv's weights). Max: the output gradient
 * goes to every input equal to its window's maximum. tfjs sends it to the first maximum only, so the two differ
 * only where a window holds two equal maxima; after a ReLU such ties are almost always zeros, whose gradient the
 * ReLU mask discards anyway.
 */
export function poolBackward(
  g: GraphBuilder,
  grad: string,
  step: Extract<Step, { kind: 'pool' }>,
  pooling: Pooling,
): { grad: string; scale: number } {
  const fit = (t: string) => (step.evenInput ? t : padToShapeOf(g, t, step.input));
  const spread = fit(upsample2x(g, grad));
  if (pooling === 'avg') return { grad: spread, scale: 0.25 };
  const maxima = fit(upsample2x(g, step.output));
  const isMax = g.op('Cast', [g.op('Equal', [maxima, step.input])], { to: FLOAT });
  return { grad: g.op('Mul', [spread, isMax]), scale: 1 };
}

/** 2^100: times any positive float32 activation above ~1e-30 it is ≥ 1 (or +Inf), and 0 stays 0. */
const STEP_GAIN = 2 ** 100;

/**
 * ReLU's derivative from its output a ≥ 0: Clip(a · 2^100, 0, 1), which is 1 where a > 0 and 0 where a = 0 (only
 * an activation below ~1e-30 would get a fraction). The product is a per-channel 1x1 Conv, so ONNX Runtime fuses the
 * Clip into it and keeps mask, gradient and the next backward Conv in its blocked NCHWc layout; Greater + Cast
 * would send each activation back to plain NCHW and the gradient back and forth (measured: ~7% of a step).
 */
export function reluDerivative(g: GraphBuilder, activation: string, channels: number, name: ConvLayerName): string {
  const gain = g.floats(`${name}_step_gain`, new Float32Array(channels).fill(STEP_GAIN), [channels, 1, 1, 1]);
  const scaled = g.op('Conv', [activation, gain], { kernel_shape: [1, 1], group: channels });
  return g.op('Clip', [scaled, g.scalar('zero', 0), g.scalar('one', 1)], {}, `${name}_mask`);
}

/** The algorithm of the backward pass's convs: the forward's, but direct under 'winograd-4x4-wide-forward'. */
function gradientConv(conv: ConvAlgorithm): ConvAlgorithm {
  return conv === 'winograd-4x4-wide-forward' ? 'direct' : conv;
}

/**
 * d loss / d x (NCHW), given d loss / d activation at the layers where the loss looks (`seeds`). Each conv's
 * input-gradient is a Conv with the flipped, transposed kernel, after the ReLU mask (see reluDerivative).
 */
export function buildBackward(g: GraphBuilder, forward: VggForward, seeds: ReadonlyMap<ConvLayerName, string>): string {
  const conv = gradientConv(forward.conv);
  let grad: string | null = null;
  let scale = 1; // a constant factor of `grad` not yet applied
  for (let k = forward.steps.length - 1; k >= 0; k--) {
    const step = forward.steps[k] as Step;
    if (step.kind === 'pool') {
      if (!grad) throw new Error('internal: pooling below the deepest loss layer');
      const back = poolBackward(g, grad, step, forward.pooling);
      grad = back.grad;
      scale *= back.scale;
      continue;
    }
    const seed = seeds.get(step.name);
    if (seed) {
      if (grad && scale !== 1) grad = g.op('Mul', [grad, g.scalar('pool_scale', scale)]);
      scale = 1;
      grad = grad ? g.op('Add', [grad, seed], {}, `${step.name}_grad`) : seed;
    }
    if (!grad) throw new Error(`internal: ${step.name} is deeper than every loss layer`);
    const [, , cin, cout] = step.weights.kernelShape;
    const relu = reluDerivative(g, step.activation, cout, step.name);
    const masked = g.op('Mul', [grad, relu], {}, `${step.name}_dz`);
    const kernel = inputGradientKernel(step.weights, scale);
    scale = 1;
    const back = {
      input: masked,
      kernel,
      inChannels: cout,
      outChannels: cin,
      side: step.side,
      name: `${step.name}_grad`,
    };
    grad = conv3x3(g, back, null, conv, k === 0 ? 'dx_nchw' : `${step.name}_dx`);
  }
  if (!grad) throw new Error('internal: no layer to differentiate');
  return grad;
}
