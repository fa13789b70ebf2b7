import { describe, expect, it } from 'vitest';
import { parseWeightsManifest } from './manifest.js';

const conv11 = [
  { name: 'block1_conv1/kernel', shape: [3, 3, 3, 64], dtype: 'float32' },
  { name: 'block1_conv1/bias', shape: [64], dtype: 'float32' },
];
const conv21 = [
  { name: 'block2_conv1/kernel', shape: [3, 3, 64, 128], dtype: 'float32' },
  { name: 'block2_conv1/bias', shape: [128], dtype: 'float32' },
];

function manifest(...groups: Array<{ paths: string[]; weights: unknown[]; sha256?: unknown }>) {
  return { format: 'tfjs-weights-manifest', weightsManifest: groups };
}

describe('parseWeightsManifest', () => {
  it('plans byte offsets in manifest order, skipping over unknown weights', () => {
    const dense = { name: 'fc1/kernel', shape: [2, 5], dtype: 'float32' };
    const plan = parseWeightsManifest(
      manifest(
        { paths: ['a.bin', 'b.bin'], weights: [conv11[0], dense, conv11[1]] },
        { paths: ['c'], weights: conv21 },
      ),
    );
    const [first, second] = plan.groups;
    expect(first?.weights.map((w) => [w.name, w.byteOffset, w.byteLength, w.target?.layer])).toEqual([
      ['block1_conv1/kernel', 0, 1728 * 4, 'conv1_1'],
      ['fc1/kernel', 6912, 40, undefined],
      ['block1_conv1/bias', 6952, 256, 'conv1_1'],
    ]);
    expect(first?.byteLength).toBe(7208);
    expect(second?.byteLength).toBe((9 * 64 * 128 + 128) * 4);
    expect(plan.totalBytes).toBe(7208 + 295424);
    expect(plan.available).toEqual(['conv1_1', 'conv2_1']);
  });

  it('accepts JSON text, a bare group list, float16 in both spellings, and sorts layers into network order', () => {
    const half = (w: (typeof conv11)[number]) => ({ ...w, dtype: 'float16' });
    const quantized = (w: (typeof conv21)[number]) => ({ ...w, quantization: { dtype: 'float16' } });
    const text = JSON.stringify([
      { paths: ['x'], weights: conv21.map(quantized) },
      { paths: ['y'], weights: conv11.map(half) },
    ]);
    const plan = parseWeightsManifest(text);
    expect(plan.available).toEqual(['conv1_1', 'conv2_1']);
    expect(plan.groups.flatMap((g) => g.weights.map((w) => w.dtype))).toEqual([
      'float16',
      'float16',
      'float16',
      'float16',
    ]);
    expect(plan.totalBytes).toBe((1728 + 64 + 73728 + 128) * 2);
  });

  it('rejects text that is not JSON, and JSON of the wrong structure', () => {
    expect(() => parseWeightsManifest('{"weightsManifest": [', 'm.json')).toThrow(/^m\.json is not valid JSON/);
    expect(() => parseWeightsManifest({ weights: [] })).toThrow('expected {"weightsManifest": [...]}');
    expect(() => parseWeightsManifest(manifest({ paths: 'a' as unknown as string[], weights: [] }))).toThrow(
      'group 1: each group needs "paths" and "weights" lists',
    );
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [{ shape: [1] }] }))).toThrow(
      'each weight needs a name',
    );
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [{ ...conv11[0], shape: [3, -3] }] }))).toThrow(
      'shape must be a list of non-negative integers',
    );
  });

  it('rejects unknown dtypes, even on weights it would skip', () => {
    const odd = { name: 'fc1/kernel', shape: [2], dtype: 'int8' };
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [...conv11, odd] }))).toThrow(
      'weight fc1/kernel: unsupported dtype "int8" (supported: float32, float16)',
    );
    const uint8 = { ...conv11[0], quantization: { dtype: 'uint8', scale: 1, min: 0 } };
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [uint8, conv11[1]] }))).toThrow(
      'unsupported quantization',
    );
  });

  it('names the layer, the expected and the actual shape when a shape is wrong', () => {
    const wrong = { name: 'block2_conv1/kernel', shape: [3, 3, 3, 128], dtype: 'float32' };
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [wrong, conv21[1]] }))).toThrow(
      'block2_conv1/kernel (layer conv2_1) has shape [3, 3, 3, 128]; VGG19 needs [3, 3, 64, 128]',
    );
    const bias = { name: 'block1_conv1/bias', shape: [32], dtype: 'float32' };
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [conv11[0], bias] }))).toThrow(
      'has shape [32]; VGG19 needs [64]',
    );
  });

  it('rejects a kernel without its bias, duplicates, and manifests with no VGG19 weights', () => {
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [conv11[0]] }))).toThrow(
      'layer conv1_1 has a kernel but no bias',
    );
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [conv21[1]] }))).toThrow(
      'layer conv2_1 has a bias but no kernel',
    );
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [...conv11, conv11[1]] }))).toThrow(
      'block1_conv1/bias appears more than once',
    );
    const dense = { name: 'dense/kernel', shape: [4], dtype: 'float32' };
    expect(() => parseWeightsManifest(manifest({ paths: ['a'], weights: [dense] }))).toThrow(
      'holds no VGG19 conv weights',
    );
  });

  it('checks shard paths and the sha256 list', () => {
    const hostile = [
      '../secret',
      '/etc/x',
      'a/../../b',
      'https://elsewhere/x',
      'a\\b',
      '%2e%2e/x',
      'a/%2E%2E/%2e%2e/b',
    ];
    for (const bad of [...hostile, './a', 'a//b', 'a?x', 'a#x', '%2fetc', 'data:x', 'C:x']) {
      const parse = () => parseWeightsManifest(manifest({ paths: [bad], weights: conv11 }));
      expect(parse).toThrow(
        `shard path ${JSON.stringify(bad)} must be a plain relative path inside the manifest's folder`,
      );
      expect(parse).toThrow(expect.objectContaining({ code: 'bad-weights', details: { file: bad } }));
    }
    expect(parseWeightsManifest(manifest({ paths: ['sub dir/a%20b.bin'], weights: conv11 })).groups[0]?.paths).toEqual([
      'sub dir/a%20b.bin',
    ]);
    expect(() =>
      parseWeightsManifest(manifest({ paths: ['a', 'b'], weights: conv11, sha256: ['ab'.repeat(32)] })),
    ).toThrow('sha256 must list one 64-digit hex SHA-256 per path (2)');
    const upper = 'AB'.repeat(32);
    const plan = parseWeightsManifest(manifest({ paths: ['a'], weights: conv11, sha256: [upper] }));
    expect(plan.groups[0]?.sha256).toEqual([upper.toLowerCase()]);
  });
});
