/** Test-only helpers for the ONNX path: the real weights read straight from their tfjs manifest, error measures. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONV_LAYERS, type ConvLayerName, weightsNameOf } from '../network/layers.js';
import type { ConvWeights, Vgg19Weights } from '../network/weights-types.js';

interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly dtype: string }[];
}

/**
 * VGG19 weights from a directory holding `weights_manifest.json` and its float32 shards (see shared/models/README.md).
 * A stand-in until the engine's own directory loader lands on main.
 */
export async function readManifestWeights(dir: string): Promise<Vgg19Weights> {
  const manifest = JSON.parse(await readFile(join(dir, 'weights_manifest.json'), 'utf8')) as {
    weightsManifest: ManifestGroup[];
  };
  const tensors = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const group of manifest.weightsManifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(dir, p)))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`${w.name}: dtype ${w.dtype}, expected float32`);
      const size = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + size * 4));
      tensors.set(w.name, { shape: w.shape, data });
      offset += size * 4;
    }
  }
  const layers = new Map<ConvLayerName, ConvWeights>();
  for (const name of CONV_LAYERS) {
    const kernel = tensors.get(`${weightsNameOf(name)}/kernel`);
    const bias = tensors.get(`${weightsNameOf(name)}/bias`);
    if (!kernel || !bias) continue;
    const [h, w, i, o] = kernel.shape as [number, number, number, number];
    layers.set(name, { kernel: kernel.data, kernelShape: [h, w, i, o], bias: bias.data });
  }
  return { available: [...layers.keys()], layers };
}

/** |a − b| / |b|. */
export { relativeError, relativeL2 } from '../relative-error.js';
