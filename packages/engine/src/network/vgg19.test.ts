import { syntheticWeights } from '@impasto/weights/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tf } from '../tfjs/tf.js';
import { CONV_LAYERS, type ConvLayerName, layersUpTo } from './layers.js';
import { createVgg19 } from './vgg19.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

const CHANNELS: Record<string, number> = { '1': 64, '2': 128, '3': 256, '4': 512, '5': 512 };

/** Expected [h, w, c] of a conv layer's output: block b has been pooled b−1 times (floor halving). */
function expectedShape(layer: ConvLayerName, h: number, w: number): number[] {
  const block = Number(layer[4]);
  for (let i = 1; i < block; i++) {
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  return [1, h, w, CHANNELS[String(block)] as number];
}

describe('VGG19 topology', () => {
  it('has 16 conv and 5 pool layers, named like the Keras weights', () => {
    const all = layersUpTo(['conv5_4']);
    expect(all.filter((l) => l.kind === 'conv')).toHaveLength(16);
    expect(all.filter((l) => l.kind === 'pool')).toHaveLength(4); // pool5 follows conv5_4 and is never needed
    expect(all.map((l) => (l.kind === 'conv' ? l.weightsName : l.name)).slice(0, 3)).toEqual([
      'block1_conv1',
      'block1_conv2',
      'pool1',
    ]);
  });

  it('stops at the deepest layer asked for', () => {
    expect(layersUpTo(['conv1_1', 'conv3_1']).at(-1)?.name).toBe('conv3_1');
    expect(layersUpTo(['conv2_1']).map((l) => l.name)).toEqual(['conv1_1', 'conv1_2', 'pool1', 'conv2_1']);
  });

  it.each([
    [32, 32],
    [37, 50],
    [48, 20],
  ])('every layer has the expected output shape at %ix%i', (h, w) => {
    const net = createVgg19(syntheticWeights('conv5_4'));
    tf.tidy(() => {
      const x = tf.randomNormal([1, h, w, 3], 0, 50, 'float32', 3) as tf.Tensor4D;
      const features = net.features(x, CONV_LAYERS, 'avg');
      for (const layer of CONV_LAYERS) expect(features.get(layer)?.shape).toEqual(expectedShape(layer, h, w));
    });
    net.dispose();
  });

  it('average and max pooling differ as they should after the first pool', () => {
    const net = createVgg19(syntheticWeights('conv2_1'));
    tf.tidy(() => {
      const x = tf.randomNormal([1, 8, 8, 3], 0, 50, 'float32', 4) as tf.Tensor4D;
      const avg = net.features(x, ['conv1_2', 'conv2_1'], 'avg');
      const max = net.features(x, ['conv1_2', 'conv2_1'], 'max');
      // Before any pooling both are identical.
      expect(
        tf.max(tf.abs(tf.sub(avg.get('conv1_2') as tf.Tensor, max.get('conv1_2') as tf.Tensor))).dataSync()[0],
      ).toBe(0);
      expect(
        tf.max(tf.abs(tf.sub(avg.get('conv2_1') as tf.Tensor, max.get('conv2_1') as tf.Tensor))).dataSync()[0],
      ).toBeGreaterThan(0);
    });
    net.dispose();
  });

  it('pools by averaging or taking the maximum of each 2x2 block', async () => {
    const { pool2x2 } = await import('./pool.js');
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
      expect(Array.from(pool2x2(x, 'avg').dataSync())).toEqual([3.5, 5.5, 11.5, 13.5]);
      expect(Array.from(pool2x2(x, 'max').dataSync())).toEqual([6, 8, 14, 16]);
    });
  });

  it('asking for a layer the weights lack names the available ones', () => {
    const net = createVgg19(syntheticWeights('conv1_2'));
    expect(() => tf.tidy(() => void net.features(tf.zeros([1, 8, 8, 3]), ['conv2_1'], 'avg'))).toThrow(
      'the weights lack conv2_1; available layers: conv1_1, conv1_2',
    );
    net.dispose();
  });
});

describe.each(['cpu', 'wasm'])('flipped-filter conv gradient on %s', (backend) => {
  it('equals the native Conv2DBackpropInput gradient', async () => {
    await tf.setBackend(backend);
    const weights = syntheticWeights('conv3_1', 7);
    const native = createVgg19(weights, { convGradient: 'native' });
    const flipped = createVgg19(weights, { convGradient: 'flipped' });
    const x = tf.randomNormal([1, 20, 18, 3], 0, 50, 'float32', 5) as tf.Tensor4D;
    const loss = (net: typeof native) => (img: tf.Tensor) => {
      const f = net.features(img as tf.Tensor4D, ['conv2_1', 'conv3_1'], 'avg');
      return tf.add(
        tf.sum(tf.square(f.get('conv2_1') as tf.Tensor)),
        tf.sum(f.get('conv3_1') as tf.Tensor),
      ) as tf.Scalar;
    };
    const a = tf.grad(loss(native))(x);
    const b = tf.grad(loss(flipped))(x);
    const rel = tf.tidy(() => tf.div(tf.norm(tf.sub(a, b)), tf.norm(a)).dataSync()[0] as number);
    expect(rel).toBeLessThan(1e-5);
    for (const t of [a, b, x]) t.dispose();
    native.dispose();
    flipped.dispose();
    await tf.setBackend('cpu');
  });
});
