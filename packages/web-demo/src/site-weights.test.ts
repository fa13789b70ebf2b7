import { type ImpastoError, isImpastoError } from '@impasto/errors';
import { describe, expect, it, vi } from 'vitest';
import { siteWeightsLoader } from './site-weights.js';
import { fakeNetwork, MemoryCacheStorage, TINY_VALUES, tinyWeights } from './test-fixtures.js';
import { weightsCacheName } from './weights-cache.js';

const FOLDER = 'https://demo.example/weights/';
const MANIFEST = `${FOLDER}weights_manifest.json`;
const SHARD = `${FOLDER}conv1_1.bin`;

function site() {
  const { manifestText, shard } = tinyWeights();
  const files = new Map<string, Uint8Array | string>([
    [MANIFEST, manifestText],
    [SHARD, shard],
  ]);
  const network = fakeNetwork(files);
  const caches = new MemoryCacheStorage();
  const load = () =>
    siteWeightsLoader(FOLDER, { caches: caches as unknown as CacheStorage, fetch: network.fetch })(() => {});
  const shardCached = () =>
    vi.waitFor(() => expect(caches.caches.get(weightsCacheName(MANIFEST))?.entries.has(SHARD)).toBe(true));
  return { files, network, caches, load, shardCached };
}

describe('the site weights loader', () => {
  it('decodes the weights and reports byte progress up to the total', async () => {
    const { network, caches } = site();
    const progress: [number, number][] = [];
    const weights = await siteWeightsLoader(FOLDER, {
      caches: caches as unknown as CacheStorage,
      fetch: network.fetch,
    })((loaded, total) => progress.push([loaded, total]));
    expect(weights.available).toEqual(['conv1_1']);
    const layer = weights.layers.get('conv1_1');
    expect(layer?.kernel[5]).toBeCloseTo(0.005, 7);
    expect(layer?.bias[0]).toBeCloseTo(1.728, 6); // the first value after 3·3·3·64 kernel values
    expect(progress[0]).toEqual([0, TINY_VALUES * 4]);
    expect(progress.at(-1)).toEqual([TINY_VALUES * 4, TINY_VALUES * 4]);
  });

  it('reads the shards from the cache on the next visit, asking the network only for the manifest', async () => {
    const { network, load, shardCached } = site();
    await load();
    await shardCached();
    expect(network.log).toEqual([MANIFEST, SHARD]);
    const again = await load();
    expect(network.log).toEqual([MANIFEST, SHARD, MANIFEST]);
    expect(again.layers.get('conv1_1')?.kernel[1]).toBeCloseTo(0.001, 7);
  });

  it('drops the cached shards when the manifest changed', async () => {
    const { files, network, load, shardCached } = site();
    await load();
    await shardCached();
    const manifest = JSON.parse(files.get(MANIFEST) as string);
    files.set(MANIFEST, JSON.stringify({ ...manifest, note: 'converted again' }));
    const shard = files.get(SHARD) as Uint8Array;
    const changed = new Float32Array(shard.slice().buffer);
    changed[0] = 42;
    files.set(SHARD, new Uint8Array(changed.buffer));
    const weights = await load();
    expect(network.log).toEqual([MANIFEST, SHARD, MANIFEST, SHARD]);
    expect(weights.layers.get('conv1_1')?.kernel[0]).toBe(42);
  });

  it('works offline from the cache', async () => {
    const { network, load, shardCached } = site();
    await load();
    await shardCached();
    network.state.offline = true;
    expect((await load()).available).toEqual(['conv1_1']);
  });

  it('fetches afresh when a cached shard is unusable', async () => {
    const { network, caches, load, shardCached } = site();
    await load();
    await shardCached();
    const cache = await caches.open(weightsCacheName(MANIFEST));
    await cache.put(SHARD, new Response(new Uint8Array(100))); // e.g. half evicted
    const weights = await load();
    expect(network.log).toEqual([MANIFEST, SHARD, MANIFEST, MANIFEST, SHARD]);
    expect(weights.layers.get('conv1_1')?.kernel[2]).toBeCloseTo(0.002, 7);
  });

  it('says the site has no weights when the manifest is missing', async () => {
    const { files, load } = site();
    files.delete(MANIFEST);
    const error = await load().catch((e: unknown) => e);
    expect(isImpastoError(error, 'weights-missing')).toBe(true);
    expect((error as ImpastoError).details).toEqual({ location: MANIFEST });
    expect((error as Error).message).toBe(`this site has no weights yet (${MANIFEST} was not found)`);
  });

  it('passes other failures on, naming the file', async () => {
    const { files, load } = site();
    files.delete(SHARD);
    await expect(load()).rejects.toThrow(`could not fetch weights from ${SHARD}: HTTP 404 Not Found`);
  });

  it('loads straight from the network where there is no Cache API', async () => {
    const { network } = site();
    const load = siteWeightsLoader(FOLDER, { fetch: network.fetch });
    await load(() => {});
    await load(() => {});
    expect(network.log).toEqual([MANIFEST, SHARD, MANIFEST, SHARD]);
  });
});
