import { describe, expect, it } from 'vitest';
import { CONV_LAYERS, shardFileOf } from '../index.js';
import { parseModelSpec, readModelSpec } from './spec.js';

describe('vgg19.json', () => {
  it('describes the Keras source, conv1_1..conv5_1 by default, all 16 on request, a pin slot per shard', async () => {
    const spec = await readModelSpec();
    expect(spec.source.file).toBe('vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5');
    expect(spec.source.md5).toBe('253f8cb515780f3b799900260a226db6');
    expect(spec.source.mirrors.length).toBeGreaterThanOrEqual(2);
    expect(spec.layers.default).toEqual(CONV_LAYERS.slice(0, 13));
    expect(spec.layers.all).toEqual(CONV_LAYERS);
    for (const dtype of ['float16', 'float32'] as const) {
      expect(Object.keys(spec.shardSha256[dtype])).toEqual(CONV_LAYERS.map(shardFileOf));
    }
  });

  it('rejects malformed specs', () => {
    const good = {
      source: { file: 'f.h5', md5: 'a'.repeat(32), mirrors: ['https://x.test/f.h5'] },
      layers: { default: ['conv1_1'], all: ['conv1_1'] },
    };
    expect(() => parseModelSpec(good, 's.json')).not.toThrow();
    expect(() => parseModelSpec({ ...good, source: { ...good.source, md5: 'xyz' } }, 's.json')).toThrow(
      's.json: source.md5',
    );
    expect(() => parseModelSpec({ ...good, layers: { default: ['conv9_9'], all: [] } }, 's.json')).toThrow(
      'layers.default',
    );
    expect(() => parseModelSpec({ ...good, shardSha256: { float16: { 'a.bin': 'short' } } }, 's.json')).toThrow(
      'shardSha256.float16["a.bin"] must be null or',
    );
  });
});
