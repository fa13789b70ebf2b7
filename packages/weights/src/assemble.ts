/** Turns a checked plan plus the shard bytes (from any transport) into float32 VGG19 weights. */
import { badWeights } from './errors.js';
import { float16ToFloat32 } from './float16.js';
import type { ConvLayerName } from './layers.js';
import { expectedShape, type PlannedGroup, type PlannedWeight, type WeightsPlan } from './manifest.js';
import { sha256Hex } from './sha256.js';
import type { ConvWeights, Vgg19Weights } from './types.js';

export interface AssembleOptions {
  /** How to name a shard in error messages (a file path or URL); the manifest's path by default. */
  readonly describePath?: (path: string) => string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

async function checkHash(bytes: Uint8Array, expected: string, name: string): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw badWeights(`shard ${name} is corrupt or was replaced: SHA-256 ${actual}, the manifest expects ${expected}`, {
      file: name,
    });
  }
}

/** A group's files, hash-checked and concatenated in `paths` order, of exactly the planned length. */
async function groupBytes(
  group: PlannedGroup,
  shards: ReadonlyMap<string, Uint8Array>,
  describe: (path: string) => string,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const [i, path] of group.paths.entries()) {
    const bytes = shards.get(path);
    if (!bytes)
      throw badWeights(`shard ${describe(path)} is listed in the manifest but was not loaded`, {
        file: describe(path),
      });
    const expected = group.sha256?.[i];
    if (expected) await checkHash(bytes, expected, describe(path));
    parts.push(bytes);
  }
  const actual = parts.reduce((sum, p) => sum + p.length, 0);
  if (actual !== group.byteLength) {
    const problem = actual < group.byteLength ? 'truncated' : 'too long';
    const files = group.paths.map((p, i) => `${describe(p)} (${parts[i]?.length} bytes)`).join(', ');
    const which = group.paths.length === 1 ? `shard ${describe(group.paths[0] as string)}` : `shards ${files}`;
    throw badWeights(`${which} ${problem}: ${actual} bytes, the manifest's weights need ${group.byteLength} bytes`, {
      file: describe(group.paths[0] as string),
    });
  }
  if (parts.length === 1) return parts[0] as Uint8Array;
  const joined = new Uint8Array(actual);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** One weight's values as float32 (a copy, so alignment of the source bytes never matters). */
function decodeWeight(bytes: Uint8Array, weight: PlannedWeight): Float32Array {
  // A fresh copy: never Buffer#slice, which would share (and expose) the whole source buffer.
  const copy = new Uint8Array(weight.byteLength);
  copy.set(bytes.subarray(weight.byteOffset, weight.byteOffset + weight.byteLength));
  const values =
    weight.dtype === 'float16' ? float16ToFloat32(new Uint16Array(copy.buffer)) : new Float32Array(copy.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw badWeights(`weight ${weight.name} holds a non-finite value (${v}) at index ${i}`);
  }
  return values;
}

/** Decodes every VGG19 conv weight of the plan; other weights are skipped. */
export async function assembleWeights(
  plan: WeightsPlan,
  shardBytes: ReadonlyMap<string, Uint8Array>,
  options: AssembleOptions = {},
): Promise<Vgg19Weights> {
  if (!LITTLE_ENDIAN) throw badWeights('loading weights needs a little-endian platform');
  const describe = options.describePath ?? ((path: string) => path);
  const kernels = new Map<ConvLayerName, Float32Array>();
  const biases = new Map<ConvLayerName, Float32Array>();
  for (const group of plan.groups) {
    const bytes = await groupBytes(group, shardBytes, describe);
    for (const weight of group.weights) {
      if (!weight.target) continue;
      const into = weight.target.role === 'kernel' ? kernels : biases;
      into.set(weight.target.layer, decodeWeight(bytes, weight));
    }
  }
  const layers = new Map<ConvLayerName, ConvWeights>();
  for (const layer of plan.available) {
    const kernelShape = expectedShape({ layer, role: 'kernel' }) as [number, number, number, number];
    layers.set(layer, {
      kernel: kernels.get(layer) as Float32Array,
      kernelShape,
      bias: biases.get(layer) as Float32Array,
    });
  }
  return { available: plan.available, layers };
}
