import type { ConvLayerName } from './layers.js';

/** One conv layer's parameters: kernel in HWIO order [3, 3, in, out], bias [out]. Always float32 in memory. */
export interface ConvWeights {
  readonly kernel: Float32Array;
  readonly kernelShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
}

/** A (possibly partial) set of VGG19 conv weights, independent of any compute library. */
export interface Vgg19Weights {
  /** The conv layers present, in network order (always a prefix-free subset is allowed; see `available`). */
  readonly available: readonly ConvLayerName[];
  readonly layers: ReadonlyMap<ConvLayerName, ConvWeights>;
}

/** Bytes loaded so far and in all, for progress bars. */
export type WeightsProgress = (loadedBytes: number, totalBytes: number) => void;
