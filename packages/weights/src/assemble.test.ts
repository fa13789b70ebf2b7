import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assembleWeights, encodeWeights, parseWeightsManifest, requireLayers } from './index.js';
import { syntheticWeights } from './testing/index.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

/** conv1_1 kernel value i, bias value j: simple closed forms to check against. */
const kernelValue = (i: number) => Math.fround(i / 1000 - 0.8);
const biasValue = (j: number) => Math.fround(-j / 7);

/** Bytes written by hand with DataView: kernel, an unrelated dense weight, bias (float32 LE). */
function handWrittenFloat32(): { manifest: object; bytes: Uint8Array } {
  const view = new DataView(new ArrayBuffer((1728 + 3 + 64) * 4));
  for (let i = 0; i < 1728; i++) view.setFloat32(i * 4, kernelValue(i), true);
  for (let i = 0; i < 3; i++) view.setFloat32((1728 + i) * 4, 12345, true);
  for (let j = 0; j < 64; j++) view.setFloat32((1731 + j) * 4, biasValue(j), true);
  const weights = [
    { name: 'block1_conv1/kernel', shape: [3, 3, 3, 64], dtype: 'float32' },
    { name: 'fc/bias', shape: [3], dtype: 'float32' },
    { name: 'block1_conv1/bias', shape: [64], dtype: 'float32' },
  ];
  return {
    manifest: { weightsManifest: [{ paths: ['p1', 'p2', 'p3'], weights }] },
    bytes: new Uint8Array(view.buffer),
  };
}

/** The same group split over three files at odd (unaligned) boundaries. */
function splitInThree(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map([
    ['p1', bytes.slice(0, 1001)],
    ['p2', bytes.slice(1001, 5003)],
    ['p3', bytes.slice(5003)],
  ]);
}

describe('assembleWeights', () => {
  it('decodes hand-written float32 bytes split over several shards', async () => {
    const { manifest, bytes } = handWrittenFloat32();
    const weights = await assembleWeights(parseWeightsManifest(manifest), splitInThree(bytes));
    const conv = weights.layers.get('conv1_1');
    expect(weights.available).toEqual(['conv1_1']);
    expect(conv?.kernelShape).toEqual([3, 3, 3, 64]);
    expect(conv?.kernel.length).toBe(1728);
    expect(conv?.kernel.every((v, i) => v === kernelValue(i))).toBe(true);
    expect(Array.from(conv?.bias ?? [])).toEqual(Array.from({ length: 64 }, (_, j) => biasValue(j)));
  });

  it('decodes hand-written float16 bits', async () => {
    const halves = new Uint16Array(1728 + 64);
    halves.fill(0x3c00); // 1.0
    halves[5] = 0xc000; // -2
    halves[6] = 0x0001; // 2^-24, the smallest subnormal
    halves[1728] = 0x3555; // first bias: 0.333251953125
    const weights = [
      { name: 'block1_conv1/kernel', shape: [3, 3, 3, 64], dtype: 'float16' },
      { name: 'block1_conv1/bias', shape: [64], dtype: 'float16' },
    ];
    const plan = parseWeightsManifest({ weightsManifest: [{ paths: ['h'], weights }] });
    const loaded = await assembleWeights(plan, new Map([['h', new Uint8Array(halves.buffer)]]));
    const conv = loaded.layers.get('conv1_1');
    expect([conv?.kernel[0], conv?.kernel[5], conv?.kernel[6]]).toEqual([1, -2, 2 ** -24]);
    expect(conv?.bias[0]).toBe(0.333251953125);
  });

  it('says which shard is truncated or too long, with expected and actual bytes', async () => {
    const { manifest, bytes } = handWrittenFloat32();
    const plan = parseWeightsManifest({ weightsManifest: [{ ...manifestGroup(manifest), paths: ['only.bin'] }] });
    const short = new Map([['only.bin', bytes.subarray(0, 7000)]]);
    await expect(assembleWeights(plan, short, { describePath: (p) => `/w/${p}` })).rejects.toThrow(
      "shard /w/only.bin truncated: 7000 bytes, the manifest's weights need 7180 bytes",
    );
    const long = new Map([['only.bin', new Uint8Array(7181)]]);
    await expect(assembleWeights(plan, long)).rejects.toThrow('shard only.bin too long: 7181 bytes');
    const parts = splitInThree(bytes);
    parts.set('p3', new Uint8Array(3));
    await expect(assembleWeights(parseWeightsManifest(manifest), parts)).rejects.toThrow(
      'shards p1 (1001 bytes), p2 (4002 bytes), p3 (3 bytes) truncated',
    );
  });

  it('checks SHA-256 per shard and names the file that does not match', async () => {
    const { manifest, bytes } = handWrittenFloat32();
    const parts = splitInThree(bytes);
    const sha256 = ['p1', 'p2', 'p3'].map((p) =>
      createHash('sha256')
        .update(parts.get(p) as Uint8Array)
        .digest('hex'),
    );
    const pinned = parseWeightsManifest({ weightsManifest: [{ ...manifestGroup(manifest), sha256 }] });
    await expect(assembleWeights(pinned, parts)).resolves.toBeDefined();
    const p2 = parts.get('p2') as Uint8Array;
    p2[10] = (p2[10] as number) ^ 1;
    await expect(assembleWeights(pinned, parts)).rejects.toThrow(
      `shard p2 is corrupt or was replaced: SHA-256 ${createHash('sha256')
        .update(parts.get('p2') as Uint8Array)
        .digest('hex')}, the manifest expects ${sha256[1]}`,
    );
  });

  it('rejects a missing shard and non-finite values', async () => {
    const { manifest, bytes } = handWrittenFloat32();
    const parts = splitInThree(bytes);
    parts.delete('p3');
    await expect(assembleWeights(parseWeightsManifest(manifest), parts)).rejects.toThrow(
      'shard p3 is listed in the manifest but was not loaded',
    );
    new DataView(bytes.buffer).setFloat32(4 * 20, Number.NaN, true);
    await expect(assembleWeights(parseWeightsManifest(manifest), splitInThree(bytes))).rejects.toThrow(
      'weight block1_conv1/kernel holds a non-finite value (NaN) at index 20',
    );
  });
});

describe('encodeWeights', () => {
  const layers = ['conv1_1', 'conv1_2', 'conv2_1'] as const;
  const source = syntheticWeights(layers, 3, SUBNORMALS);

  async function roundTrip(dtype: 'float32' | 'float16') {
    const encoded = await encodeWeights(source, { dtype });
    return assembleWeights(parseWeightsManifest(JSON.stringify(encoded.manifest)), encoded.shards);
  }

  it('round-trips float32 exactly', async () => {
    const loaded = await roundTrip('float32');
    expect(loaded.available).toEqual(layers);
    for (const layer of layers) {
      for (const part of ['kernel', 'bias'] as const) {
        const want = source.layers.get(layer)?.[part] as Float32Array;
        const got = loaded.layers.get(layer)?.[part] as Float32Array;
        expect(got.length).toBe(want.length);
        expect(got.every((v, i) => v === want[i])).toBe(true);
      }
    }
  });

  it('round-trips float16 within half rounding, subnormals included', async () => {
    const loaded = await roundTrip('float16');
    let subnormals = 0;
    for (const layer of layers) {
      const pairs: Array<[Float32Array, Float32Array]> = [
        [source.layers.get(layer)?.kernel as Float32Array, loaded.layers.get(layer)?.kernel as Float32Array],
        [source.layers.get(layer)?.bias as Float32Array, loaded.layers.get(layer)?.bias as Float32Array],
      ];
      for (const [want, got] of pairs) {
        for (let i = 0; i < want.length; i++) {
          const x = want[i] as number;
          // Half a unit in the last place: 2^(e-11) for normal x, 2^-25 below 2^-14 (subnormal spacing 2^-24).
          const bound = Math.abs(x) < 2 ** -14 ? 2 ** -25 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 11);
          if (Math.abs(x) < 2 ** -14 && x !== 0) subnormals++;
          if (Math.abs((got[i] as number) - x) > bound) throw new Error(`${layer}[${i}]: ${got[i]} vs ${x}`);
        }
      }
    }
    expect(subnormals).toBeGreaterThan(1000);
  });

  it('writes tfjs float16 quantization entries and one hashed shard per layer', async () => {
    const { manifest, shards } = await encodeWeights(source, { dtype: 'float16', layers: ['conv1_2'] });
    expect(manifest.weightsManifest).toEqual([
      {
        paths: ['block1_conv2.bin'],
        weights: [
          { name: 'block1_conv2/kernel', shape: [3, 3, 64, 64], dtype: 'float32', quantization: { dtype: 'float16' } },
          { name: 'block1_conv2/bias', shape: [64], dtype: 'float32', quantization: { dtype: 'float16' } },
        ],
        sha256: [
          createHash('sha256')
            .update(shards.get('block1_conv2.bin') as Uint8Array)
            .digest('hex'),
        ],
      },
    ]);
    expect(shards.get('block1_conv2.bin')?.length).toBe((36864 + 64) * 2);
  });
});

describe('requireLayers', () => {
  it('passes when all are present and names missing and available layers otherwise', () => {
    const weights = syntheticWeights(['conv1_1', 'conv1_2', 'conv2_1'], 1, SUBNORMALS);
    expect(() => requireLayers(weights.available, ['conv1_2', 'conv2_1'])).not.toThrow();
    expect(() => requireLayers(weights.available, ['conv5_1', 'conv1_1', 'conv4_2'])).toThrow(
      'the weights lack conv4_2, conv5_1; available layers: conv1_1, conv1_2, conv2_1',
    );
  });
});

function manifestGroup(manifest: object): Record<string, unknown> {
  return (manifest as { weightsManifest: Array<Record<string, unknown>> }).weightsManifest[0] as Record<
    string,
    unknown
  >;
}
