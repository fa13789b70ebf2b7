/** Writes VGG19 weights as a tfjs weights manifest plus shards: one group and one file per conv layer. */

import { float32ToFloat16 } from './float16.js';
import { type ConvLayerName, weightsNameOf } from './layers.js';
import type { StoredDtype } from './manifest.js';
import { sha256Hex } from './sha256.js';
import type { Vgg19Weights } from './types.js';

export interface ManifestEntryJson {
  name: string;
  shape: number[];
  dtype: 'float32' | 'float16';
  quantization?: { dtype: 'float16' };
}

export interface ManifestGroupJson {
  paths: string[];
  weights: ManifestEntryJson[];
  /** Impasto's addition: lowercase hex SHA-256 of each file in `paths`, same order. */
  sha256?: string[];
}

export interface WeightsManifestJson {
  format: 'tfjs-weights-manifest';
  weightsManifest: ManifestGroupJson[];
  [extra: string]: unknown;
}

export interface EncodedWeights {
  readonly manifest: WeightsManifestJson;
  /** File name (as in `paths`) -> bytes. */
  readonly shards: ReadonlyMap<string, Uint8Array>;
}

export interface EncodeOptions {
  /** Stored precision; float16 halves the size. Default float16. */
  readonly dtype?: StoredDtype;
  /** Which layers to write; default all available. */
  readonly layers?: readonly ConvLayerName[];
}

/** The file name of a layer's shard: conv3_2 -> block3_conv2.bin. */
export function shardFileOf(layer: ConvLayerName): string {
  return `${weightsNameOf(layer)}.bin`;
}

function entry(name: string, shape: readonly number[], dtype: StoredDtype): ManifestEntryJson {
  // tfjs spells float16 storage as a float32 weight with float16 quantization; tf.io.loadWeights reads it too.
  return dtype === 'float16'
    ? { name, shape: [...shape], dtype: 'float32', quantization: { dtype: 'float16' } }
    : { name, shape: [...shape], dtype: 'float32' };
}

function storedBytes(values: Float32Array, dtype: StoredDtype, what: string): Uint8Array {
  const stored = dtype === 'float16' ? float32ToFloat16(values, what) : values;
  return new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
}

/** Encodes the chosen layers (kernel then bias, little endian) with a SHA-256 per shard. */
export async function encodeWeights(weights: Vgg19Weights, options: EncodeOptions = {}): Promise<EncodedWeights> {
  const dtype = options.dtype ?? 'float16';
  const layers = options.layers ?? weights.available;
  const groups: ManifestGroupJson[] = [];
  const shards = new Map<string, Uint8Array>();
  for (const layer of layers) {
    const conv = weights.layers.get(layer);
    if (!conv) throw new Error(`cannot encode ${layer}: the weights lack it`);
    const name = weightsNameOf(layer);
    const kernel = storedBytes(conv.kernel, dtype, `${name}/kernel`);
    const bias = storedBytes(conv.bias, dtype, `${name}/bias`);
    const bytes = new Uint8Array(kernel.length + bias.length);
    bytes.set(kernel, 0);
    bytes.set(bias, kernel.length);
    const file = shardFileOf(layer);
    shards.set(file, bytes);
    groups.push({
      paths: [file],
      weights: [entry(`${name}/kernel`, conv.kernelShape, dtype), entry(`${name}/bias`, [conv.bias.length], dtype)],
      sha256: [await sha256Hex(bytes)],
    });
  }
  return { manifest: { format: 'tfjs-weights-manifest', weightsManifest: groups }, shards };
}
