import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConvLayerName, Vgg19Weights } from '../index.js';
import { syntheticWeights } from '../testing/index.js';
import { writeKerasH5 } from '../testing/keras-h5-fixture.js';
import { serveBytes, startTestServer, type TestServer } from '../testing/test-server.js';
import { type FetchOptions, fetchModel } from './fetch.js';
import { loadWeightsFromDirectory } from './folder.js';
import type { ModelSpec } from './spec.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

const LAYERS: ConvLayerName[] = ['conv1_1', 'conv1_2', 'conv2_1'];
const source = syntheticWeights([...LAYERS, 'conv2_2'], 31, SUBNORMALS);
let server: TestServer;
let work: string;
let h5: Buffer;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

function spec(overrides: Partial<ModelSpec['source']> = {}): ModelSpec {
  return {
    source: {
      file: 'vgg19_test.h5',
      md5: md5(h5),
      mirrors: [`${server.base}/gone.h5`, `${server.base}/vgg19.h5`],
      ...overrides,
    },
    layers: { default: LAYERS, all: [...LAYERS, 'conv2_2'] },
    shardSha256: { float16: {}, float32: {} },
  };
}

/** Every directory a run may leave behind, for "no output" checks. */
async function leftovers(dir: string): Promise<string[]> {
  return existsSync(dir) ? readdir(dir) : [];
}

beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'impasto-fetch-'));
  await writeKerasH5(join(work, 'source.h5'), source);
  h5 = await readFile(join(work, 'source.h5'));
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

let dir: string;
let options: FetchOptions;
beforeEach(async () => {
  dir = await mkdtemp(join(work, 'run-'));
  server.routes.clear();
  server.routes.set('/vgg19.h5', serveBytes(h5));
  options = { spec: spec(), outDir: join(dir, 'out', 'vgg19'), cacheDir: join(dir, 'cache') };
});

function expectWithin(got: Vgg19Weights, tolerance: (x: number) => number): void {
  for (const layer of LAYERS) {
    for (const part of ['kernel', 'bias'] as const) {
      const want = source.layers.get(layer)?.[part] as Float32Array;
      const values = got.layers.get(layer)?.[part] as Float32Array;
      expect(values.length).toBe(want.length);
      want.forEach((x, i) => {
        if (Math.abs((values[i] as number) - x) > tolerance(x)) throw new Error(`${layer} ${part}[${i}]`);
      });
    }
  }
}

/** Half a float16 ulp: 2^(e-11) for normal x, 2^-25 among the subnormals. */
const halfRounding = (x: number) =>
  Math.abs(x) < 2 ** -14 ? 2 ** -25 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 11);

describe('fetchModel', () => {
  it('downloads (after a failing mirror), converts to float16 and writes a verified directory', async () => {
    const result = await fetchModel(options);
    expect(result.status).toBe('written');
    expect(result.summary.available).toEqual(LAYERS);
    expect(result.summary.dtypes).toEqual(['float16']);
    expect(server.requests.map((r) => r.url)).toEqual(['/gone.h5', '/vgg19.h5']);
    const loaded = await loadWeightsFromDirectory(options.outDir as string);
    expect(loaded.available).toEqual(LAYERS); // conv2_2 is in the file but not in the default set
    expectWithin(loaded, halfRounding);
    const manifest = JSON.parse(await readFile(join(options.outDir as string, 'weights_manifest.json'), 'utf8'));
    expect(manifest.source).toEqual({ file: 'vgg19_test.h5', md5: md5(h5) });
    expect(await leftovers(join(dir, 'out'))).toEqual(['vgg19']);
  });

  it('does nothing when the output is present and valid, and converts again for another dtype from the cache', async () => {
    await fetchModel(options);
    const before = (await stat(join(options.outDir as string, 'block1_conv1.bin'))).mtimeMs;
    const again = await fetchModel(options);
    expect(again.status).toBe('already present');
    expect((await stat(join(options.outDir as string, 'block1_conv1.bin'))).mtimeMs).toBe(before);
    const requests = server.requests.length;
    const float32 = await fetchModel({ ...options, dtype: 'float32', allLayers: true });
    expect(float32.status).toBe('written');
    expect(server.requests.length).toBe(requests); // the cached source was used
    const loaded = await loadWeightsFromDirectory(options.outDir as string);
    expect(loaded.available).toEqual([...LAYERS, 'conv2_2']);
    expectWithin(loaded, () => 0); // float32: exact
  });

  it('replaces an invalid output', async () => {
    await fetchModel(options);
    await writeFile(join(options.outDir as string, 'block1_conv2.bin'), 'garbage');
    expect((await fetchModel(options)).status).toBe('written');
    expect((await loadWeightsFromDirectory(options.outDir as string)).available).toEqual(LAYERS);
  });

  it('on a wrong checksum leaves no output, deletes the download and says what to do', async () => {
    const run = fetchModel({ ...options, spec: spec({ md5: '0'.repeat(32) }) });
    await expect(run).rejects.toThrow(`checksum mismatch (md5 ${md5(h5)}, expected ${'0'.repeat(32)})`);
    await expect(run).rejects.toThrow('IMPASTO_WEIGHTS=/path/to/dir');
    expect(await leftovers(join(dir, 'out'))).toEqual([]);
    expect(await leftovers(join(dir, 'cache'))).toEqual([]);
  });

  it('on a truncated file (served whole, or given locally) leaves no output', async () => {
    const truncated = h5.subarray(0, h5.length - 5000);
    server.routes.set('/vgg19.h5', serveBytes(truncated));
    await expect(fetchModel(options)).rejects.toThrow('checksum mismatch');
    expect(await leftovers(join(dir, 'out'))).toEqual([]);
    expect(await leftovers(join(dir, 'cache'))).toEqual([]);

    // A truncated copy that passes the checksum (pinned to it) is caught by HDF5 when converting.
    const local = join(dir, 'local.h5');
    await writeFile(local, truncated);
    const run = fetchModel({ ...options, sourceFile: local, spec: spec({ md5: md5(truncated) }) });
    await expect(run).rejects.toThrow(`cannot read ${local} as HDF5 (truncated file`);
    expect(await leftovers(join(dir, 'out'))).toEqual([]);
  });

  it('on a file missing a layer leaves no output and keeps an earlier valid output', async () => {
    const short = join(dir, 'short.h5');
    await writeKerasH5(short, syntheticWeights(['conv1_1', 'conv1_2'], 1, SUBNORMALS));
    const shortSpec = spec({ md5: md5(await readFile(short)) });
    await expect(fetchModel({ ...options, sourceFile: short, spec: shortSpec })).rejects.toThrow(
      `${short} lacks block2_conv1 (it has block1_conv1, block1_conv2)`,
    );
    expect(await leftovers(join(dir, 'out'))).toEqual([]);

    await fetchModel(options);
    const kept = await readFile(join(options.outDir as string, 'weights_manifest.json'), 'utf8');
    await expect(fetchModel({ ...options, dtype: 'float32', sourceFile: short, spec: shortSpec })).rejects.toThrow(
      'lacks',
    );
    expect(await readFile(join(options.outDir as string, 'weights_manifest.json'), 'utf8')).toBe(kept);
    expect(await leftovers(join(dir, 'out'))).toEqual(['vgg19']);
  });

  it('rejects a given source file whose md5 is not the published one', async () => {
    const other = join(dir, 'other.h5');
    await writeFile(other, 'something else');
    await expect(fetchModel({ ...options, sourceFile: other })).rejects.toThrow(
      `${other} has md5 ${md5(Buffer.from('something else'))}, not ${md5(h5)}: it is not vgg19_test.h5`,
    );
  });
});
