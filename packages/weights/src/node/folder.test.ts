import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONV_LAYERS, encodeWeights, requireLayers, type StoredDtype, WEIGHTS_MANIFEST_FILE } from '../index.js';
import { syntheticWeights } from '../testing/index.js';
import { loadWeightsFromDirectory } from './folder.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

const PREFIX = ['conv1_1', 'conv1_2', 'conv2_1'] as const;
const source = syntheticWeights(PREFIX, 11, SUBNORMALS);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'impasto-weights-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeWeights(dtype: StoredDtype): Promise<void> {
  const { manifest, shards } = await encodeWeights(source, { dtype });
  await writeFile(join(dir, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
  for (const [path, bytes] of shards) await writeFile(join(dir, path), bytes);
}

describe('loadWeightsFromDirectory', () => {
  it('loads float32 exactly and reports progress up to the total', async () => {
    await writeWeights('float32');
    const progress: Array<[number, number]> = [];
    const loaded = await loadWeightsFromDirectory(dir, { onProgress: (n, total) => progress.push([n, total]) });
    expect(loaded.available).toEqual(PREFIX);
    const kernel = loaded.layers.get('conv2_1')?.kernel as Float32Array;
    expect(kernel.every((v, i) => v === source.layers.get('conv2_1')?.kernel[i])).toBe(true);
    const total = (1792 + 36928 + 73856) * 4;
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.every(([n], i) => i === 0 || n >= (progress[i - 1]?.[0] ?? 0))).toBe(true);
  });

  it('loads float16 within half rounding, also when given the manifest file', async () => {
    await writeWeights('float16');
    const loaded = await loadWeightsFromDirectory(join(dir, WEIGHTS_MANIFEST_FILE));
    const want = source.layers.get('conv1_2')?.kernel as Float32Array;
    const got = loaded.layers.get('conv1_2')?.kernel as Float32Array;
    const worst = want.reduce(
      (m, x, i) => Math.max(m, Math.abs((got[i] as number) - x) / Math.max(Math.abs(x), 2 ** -14)),
      0,
    );
    expect(worst).toBeLessThanOrEqual(2 ** -11);
    expect(worst).toBeGreaterThan(0); // really was rounded
  });

  it('is a valid partial set: requireLayers names what is available', async () => {
    await writeWeights('float16');
    const loaded = await loadWeightsFromDirectory(dir);
    expect(() => requireLayers(loaded.available, ['conv2_1'])).not.toThrow();
    expect(() => requireLayers(loaded.available, ['conv4_2'])).toThrow(
      'the weights lack conv4_2; available layers: conv1_1, conv1_2, conv2_1',
    );
  });

  it('names the missing directory, manifest and shard', async () => {
    await expect(loadWeightsFromDirectory(join(dir, 'nope'))).rejects.toThrow(
      `weights directory not found: ${join(dir, 'nope')}`,
    );
    await expect(loadWeightsFromDirectory(dir)).rejects.toThrow(
      `weights manifest not found: ${join(dir, WEIGHTS_MANIFEST_FILE)}`,
    );
    await writeWeights('float32');
    await unlink(join(dir, 'block1_conv2.bin'));
    await expect(loadWeightsFromDirectory(dir)).rejects.toThrow(
      `weights shard not found: ${join(dir, 'block1_conv2.bin')} (listed in ${join(dir, WEIGHTS_MANIFEST_FILE)})`,
    );
  });

  it('reports a truncated shard with its path and expected vs actual bytes', async () => {
    await writeWeights('float32');
    await truncate(join(dir, 'block2_conv1.bin'), 1000);
    const manifest = JSON.parse(await readFile(join(dir, WEIGHTS_MANIFEST_FILE), 'utf8'));
    for (const group of manifest.weightsManifest) delete group.sha256; // the size check, not the hash, must catch it
    await writeFile(join(dir, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
    await expect(loadWeightsFromDirectory(dir)).rejects.toThrow(
      `shard ${join(dir, 'block2_conv1.bin')} truncated: 1000 bytes, the manifest's weights need ${73856 * 4} bytes`,
    );
  });

  it('reports a shard whose SHA-256 does not match', async () => {
    await writeWeights('float16');
    const file = join(dir, 'block1_conv1.bin');
    const bytes = await readFile(file);
    bytes[100] = (bytes[100] as number) ^ 0x40;
    await writeFile(file, bytes);
    await expect(loadWeightsFromDirectory(dir)).rejects.toThrow(`shard ${file} is corrupt or was replaced: SHA-256`);
  });

  it('reports a wrong shape before reading shards', async () => {
    await writeWeights('float32');
    const manifest = JSON.parse(await readFile(join(dir, WEIGHTS_MANIFEST_FILE), 'utf8'));
    manifest.weightsManifest[1].weights[0].shape = [3, 3, 64, 32];
    await writeFile(join(dir, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
    await expect(loadWeightsFromDirectory(dir)).rejects.toThrow(
      'block1_conv2/kernel (layer conv1_2) has shape [3, 3, 64, 32]; VGG19 needs [3, 3, 64, 64]',
    );
  });
});

const realWeights = process.env.IMPASTO_TEST_WEIGHTS;
if (!realWeights) console.log('skipping real VGG19 weights test: IMPASTO_TEST_WEIGHTS is not set');

describe.skipIf(!realWeights)('the real partial VGG19 weights (IMPASTO_TEST_WEIGHTS)', () => {
  it('holds exactly conv1_1..conv3_4 with VGG19 shapes, values as stored in the shards', async () => {
    const loaded = await loadWeightsFromDirectory(realWeights as string);
    expect(loaded.available).toEqual(CONV_LAYERS.slice(0, 8));
    expect(loaded.layers.get('conv3_4')?.kernelShape).toEqual([3, 3, 256, 256]);
    expect(loaded.layers.get('conv2_1')?.bias.length).toBe(128);
    // Independently of the loader: the first float of group 1 and the last of group 8, read with DataView.
    const first = await readFile(join(realWeights as string, 'group1-shard1of1'));
    const last = await readFile(join(realWeights as string, 'group8-shard1of1'));
    expect(loaded.layers.get('conv1_1')?.kernel[0]).toBe(first.readFloatLE(0));
    expect(loaded.layers.get('conv3_4')?.bias[255]).toBe(last.readFloatLE(last.length - 4));
  });
});
