import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWeights, WEIGHTS_MANIFEST_FILE } from '../index.js';
import { syntheticWeights } from '../testing/index.js';
import { type ModelSpec, readModelSpec } from './spec.js';
import { formatSummary, verifyWeightsDirectory } from './verify.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

let dir: string;
let spec: ModelSpec;
let sha256: Record<string, string>;

beforeAll(async () => {
  spec = await readModelSpec();
  dir = await mkdtemp(join(tmpdir(), 'impasto-verify-'));
  const { manifest, shards } = await encodeWeights(syntheticWeights(['conv1_1', 'conv1_2'], 1, SUBNORMALS), {
    dtype: 'float16',
  });
  await writeFile(join(dir, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
  for (const [file, bytes] of shards) await writeFile(join(dir, file), bytes);
  sha256 = Object.fromEntries(manifest.weightsManifest.map((g) => [g.paths[0], g.sha256?.[0]]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('verifyWeightsDirectory', () => {
  it('summarises layers, dtype, bytes and hashes; null pins are "not pinned"', async () => {
    const summary = await verifyWeightsDirectory(dir, spec);
    expect(summary.available).toEqual(['conv1_1', 'conv1_2']);
    expect(summary.dtypes).toEqual(['float16']);
    expect(summary.totalBytes).toBe((1792 + 36928) * 2);
    expect(summary.manifestHashes).toBe(true);
    expect(summary.layers.map((l) => [l.files, l.sha256, l.pinned])).toEqual([
      [['block1_conv1.bin'], [sha256['block1_conv1.bin']], false],
      [['block1_conv2.bin'], [sha256['block1_conv2.bin']], false],
    ]);
    expect(summary.missingFromDefault).toEqual(spec.layers.default.slice(2));
  });

  it('accepts matching pinned hashes and rejects a shard that differs from its pin', async () => {
    const pinned = { ...spec, shardSha256: { ...spec.shardSha256, float16: { ...sha256 } } };
    expect((await verifyWeightsDirectory(dir, pinned)).layers.every((l) => l.pinned)).toBe(true);
    const wrong = { ...spec, shardSha256: { ...spec.shardSha256, float16: { 'block1_conv2.bin': 'ab'.repeat(32) } } };
    await expect(verifyWeightsDirectory(dir, wrong)).rejects.toThrow(
      `${dir}/block1_conv2.bin has SHA-256 ${sha256['block1_conv2.bin']}, but vgg19.json pins ${'ab'.repeat(32)} for float16`,
    );
  });

  it('applies the engine loader rules (a wrong shape fails)', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'impasto-verify-bad-'));
    try {
      const manifest = JSON.parse(await readFile(join(dir, WEIGHTS_MANIFEST_FILE), 'utf8'));
      manifest.weightsManifest[0].weights[1].shape = [32];
      await writeFile(join(bad, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
      await expect(verifyWeightsDirectory(bad, spec)).rejects.toThrow(
        'block1_conv1/bias (layer conv1_1) has shape [32]',
      );
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});

const realWeights = process.env.IMPASTO_TEST_WEIGHTS;
if (!realWeights) console.log('skipping verification of real weights: IMPASTO_TEST_WEIGHTS is not set');

describe.skipIf(!realWeights)('the real partial weights (IMPASTO_TEST_WEIGHTS)', () => {
  it('verify as a valid partial float32 set of block1_conv1..block3_conv4', async () => {
    const summary = await verifyWeightsDirectory(realWeights as string, spec);
    expect(summary.available).toEqual([
      'conv1_1',
      'conv1_2',
      'conv2_1',
      'conv2_2',
      'conv3_1',
      'conv3_2',
      'conv3_3',
      'conv3_4',
    ]);
    expect(summary.dtypes).toEqual(['float32']);
    expect(summary.missingFromDefault).toEqual(['conv4_1', 'conv4_2', 'conv4_3', 'conv4_4', 'conv5_1']);
    expect(formatSummary(summary)).toContain('9,302,272 bytes');
  });
});
