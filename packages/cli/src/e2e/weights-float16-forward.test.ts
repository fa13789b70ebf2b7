/**
 * Storing the real VGG19 weights as float16 (what models:fetch writes by default) must not change what the
 * network sees: every feature map of a real image stays within 1e-2 relative error of float32.
 */
import path from 'node:path';
import type { ConvLayerName, Pooling } from '@impasto/engine/internals';
import { createVgg19, resizeImage, rgbaToCaffe, selectBackend, tf, type Vgg19 } from '@impasto/engine/internals';
import { TEST_IMAGES_DIR, TEST_WEIGHTS_DIR } from '@impasto/engine/testing';
import { assembleWeights, encodeWeights, parseWeightsManifest } from '@impasto/weights';
import { loadWeightsFromDirectory } from '@impasto/weights/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../image-io.js';

let input: tf.Tensor4D;

/** ||a - b|| / ||b||, over a whole feature map. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += ((a[i] as number) - (b[i] as number)) ** 2;
    norm += (b[i] as number) ** 2;
  }
  return Math.sqrt(diff / norm);
}

/** The feature maps of `layers`, as arrays; every tensor is disposed. */
async function featureValues(net: Vgg19, layers: readonly ConvLayerName[], pooling: Pooling): Promise<Float32Array[]> {
  const maps = tf.tidy(() => {
    const features = net.features(input, layers, pooling);
    return layers.map((layer) => features.get(layer) as tf.Tensor4D);
  });
  const values = await Promise.all(maps.map((m) => m.data() as Promise<Float32Array>));
  tf.dispose(maps);
  return values;
}

describe.skipIf(!TEST_WEIGHTS_DIR || !TEST_IMAGES_DIR)('float16 weights on the real network', () => {
  let net32: Vgg19;
  let net16: Vgg19;

  beforeAll(async () => {
    await selectBackend('wasm'); // the Node default; tfjs's pure-JS cpu backend takes over a minute here
    const float32 = await loadWeightsFromDirectory(TEST_WEIGHTS_DIR as string);
    const encoded = await encodeWeights(float32, { dtype: 'float16' });
    const float16 = await assembleWeights(parseWeightsManifest(encoded.manifest), encoded.shards);
    const bytes = [...encoded.shards.values()].reduce((sum, s) => sum + s.length, 0);
    expect(bytes).toBe(9_302_272 / 2);
    net32 = createVgg19(float32);
    net16 = createVgg19(float16);
    const image = rgbaToCaffe(await readImage(path.join(TEST_IMAGES_DIR as string, 'tubingen.jpg')));
    const small = resizeImage({ ...image, channels: 3 }, 128, 96);
    input = tf.tensor4d(small.data, [1, 96, 128, 3]);
  });
  afterAll(() => {
    net32?.dispose();
    net16?.dispose();
    input?.dispose();
  });

  it.each(['avg', 'max'] as Pooling[])(
    'keeps every feature map within 1e-2 relative error (%s pooling)',
    async (pooling) => {
      const layers = net32.available;
      expect(layers).toHaveLength(8);
      const [maps16, maps32] = await Promise.all([net16, net32].map((net) => featureValues(net, layers, pooling)));
      const errors: Record<string, number> = {};
      layers.forEach((layer, i) => {
        errors[layer] = relativeError(maps16?.[i] as Float32Array, maps32?.[i] as Float32Array);
      });
      console.log(`float16 vs float32 relative error (${pooling}):`, errors);
      for (const [layer, error] of Object.entries(errors)) {
        expect(error, layer).toBeLessThan(1e-2);
        expect(error, layer).toBeGreaterThan(0); // float16 really was used
      }
    },
  );
});
