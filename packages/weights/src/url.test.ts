import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWeights, loadWeightsFromUrl, manifestUrlOf, WEIGHTS_MANIFEST_FILE } from './index.js';
import { syntheticWeights } from './testing/index.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

const source = syntheticWeights(['conv1_1', 'conv1_2', 'conv2_1'], 5, SUBNORMALS);
const files = new Map<string, Uint8Array>();
const requests: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const { manifest, shards } = await encodeWeights(source, { dtype: 'float16' });
  files.set(`/w/${WEIGHTS_MANIFEST_FILE}`, new TextEncoder().encode(JSON.stringify(manifest)));
  for (const [path, bytes] of shards) files.set(`/w/${path}`, bytes);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    if (!body) {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    // Send in several chunks so progress is reported while a shard streams in.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const step = Math.ceil(body.length / 4);
    for (let at = 0; at < body.length; at += step) res.write(body.subarray(at, at + step));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('loadWeightsFromUrl', () => {
  it('loads a folder URL, with progress monotone from 0 to the total', async () => {
    const progress: Array<[number, number]> = [];
    const loaded = await loadWeightsFromUrl(`${base}/w`, { onProgress: (n, t) => progress.push([n, t]) });
    expect(loaded.available).toEqual(['conv1_1', 'conv1_2', 'conv2_1']);
    expect(
      Math.abs((loaded.layers.get('conv1_2')?.bias[3] as number) - (source.layers.get('conv1_2')?.bias[3] as number)),
    ).toBeLessThan(1e-4);
    const total = (1792 + 36928 + 73856) * 2;
    expect(progress.every(([, t]) => t === total)).toBe(true);
    expect(progress[0]?.[0]).toBe(0);
    expect(progress.at(-1)?.[0]).toBe(total);
    expect(progress.every(([n], i) => i === 0 || n >= (progress[i - 1]?.[0] ?? 0))).toBe(true);
    expect(progress.length).toBeGreaterThan(4); // reported per chunk, not once per file
  });

  it('accepts the manifest URL itself', async () => {
    const loaded = await loadWeightsFromUrl(`${base}/w/${WEIGHTS_MANIFEST_FILE}`);
    expect(loaded.available).toEqual(['conv1_1', 'conv1_2', 'conv2_1']);
  });

  it('names the URL and HTTP status when a file is missing', async () => {
    await expect(loadWeightsFromUrl(`${base}/absent/`)).rejects.toThrow(
      `could not fetch weights from ${base}/absent/${WEIGHTS_MANIFEST_FILE}: HTTP 404 Not Found`,
    );
    const shard = files.get('/w/block1_conv2.bin') as Uint8Array;
    files.delete('/w/block1_conv2.bin');
    try {
      await expect(loadWeightsFromUrl(`${base}/w/`)).rejects.toThrow(`${base}/w/block1_conv2.bin: HTTP 404`);
    } finally {
      files.set('/w/block1_conv2.bin', shard);
    }
  });

  it('says which URL held a truncated shard', async () => {
    const shard = files.get('/w/block2_conv1.bin') as Uint8Array;
    files.set('/w/block2_conv1.bin', shard.subarray(0, 100));
    try {
      await expect(loadWeightsFromUrl(`${base}/w/`)).rejects.toThrow(
        `shard ${base}/w/block2_conv1.bin is corrupt or was replaced`,
      );
    } finally {
      files.set('/w/block2_conv1.bin', shard);
    }
  });

  it('explains an unreachable server and stops when aborted', async () => {
    await expect(loadWeightsFromUrl('http://127.0.0.1:1/w/')).rejects.toThrow(
      `could not fetch weights from http://127.0.0.1:1/w/${WEIGHTS_MANIFEST_FILE}:`,
    );
    const before = requests.length;
    await expect(loadWeightsFromUrl(`${base}/w/`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
      code: 'cancelled',
    });
    expect(requests.length).toBe(before);
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await loadWeightsFromUrl(`${base}/w/`, { fetch: counting, concurrency: 1 });
    expect(seen).toEqual(
      [WEIGHTS_MANIFEST_FILE, 'block1_conv1.bin', 'block1_conv2.bin', 'block2_conv1.bin'].map((f) => `${base}/w/${f}`),
    );
  });
});

describe('manifestUrlOf', () => {
  it('resolves folders and manifest files, and rejects relative URLs outside a page', () => {
    expect(manifestUrlOf('https://x.test/models/vgg19').href).toBe(
      `https://x.test/models/vgg19/${WEIGHTS_MANIFEST_FILE}`,
    );
    expect(manifestUrlOf('https://x.test/m/model.json').href).toBe('https://x.test/m/model.json');
    expect(() => manifestUrlOf('weights/')).toThrow('is not a valid URL (outside a page it must be absolute)');
  });
});

describe('a shard cut off mid-transfer', () => {
  it('is resumed from where it stopped with a Range request, progress ending at the total', async () => {
    const { serveBytes, serveThenCut, startTestServer } = await import('./testing/test-server.js');
    const server = await startTestServer();
    try {
      const { manifest, shards } = await encodeWeights(source, { dtype: 'float16' });
      server.routes.set(`/w/${WEIGHTS_MANIFEST_FILE}`, serveBytes(new TextEncoder().encode(JSON.stringify(manifest))));
      for (const [path, bytes] of shards) server.routes.set(`/w/${path}`, serveBytes(bytes));
      const cut = shards.get('block1_conv2.bin') as Uint8Array;
      let calls = 0;
      server.routes.set('/w/block1_conv2.bin', (req, res) =>
        (calls++ === 0 ? serveThenCut(cut, 1000) : serveBytes(cut))(req, res),
      );
      const progress: number[] = [];
      const loaded = await loadWeightsFromUrl(`${server.base}/w/`, { onProgress: (n) => progress.push(n) });
      expect(loaded.available).toEqual(['conv1_1', 'conv1_2', 'conv2_1']);
      const ranges = server.requests.filter((r) => r.url === '/w/block1_conv2.bin').map((r) => r.range);
      expect(ranges).toEqual([undefined, 'bytes=1000-']);
      expect(progress.at(-1)).toBe((1792 + 36928 + 73856) * 2);
    } finally {
      await server.close();
    }
  });
});
