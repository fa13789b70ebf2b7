import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args.js';
import { CONV_LAYERS, shardFileOf } from './engine.js';
import { progressBar } from './progress-bar.js';
import { parseModelSpec, readModelSpec } from './spec.js';

describe('models/vgg19.json', () => {
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

describe('cli helpers', () => {
  it('parses flags, repeated values and positionals; rejects unknown options', () => {
    const args = parseArgs(['--float32', '--mirror', 'a', 'dir', '--mirror', 'b'], ['--float32'], ['--mirror']);
    expect([...args.flags]).toEqual(['--float32']);
    expect(args.values.get('--mirror')).toEqual(['a', 'b']);
    expect(args.positional).toEqual(['dir']);
    expect(() => parseArgs(['--f32'], ['--float32'], [])).toThrow('unknown option --f32');
    expect(() => parseArgs(['--mirror'], [], ['--mirror'])).toThrow('--mirror needs a value');
  });

  it('prints a progress line per tenth when stderr is not a terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressBar('download', stream);
    for (let n = 0; n <= 100; n += 5) bar.update(n * 1024 * 1024, 100 * 1024 * 1024);
    expect(lines.length).toBe(11);
    expect(lines.at(-1)).toBe(`download [${'#'.repeat(30)}] 100% 100.0 MB of 100.0 MB\n`);
  });
});
