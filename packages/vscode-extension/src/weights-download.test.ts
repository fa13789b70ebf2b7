/**
 * "Download VGG19 Weights" against a local HTTP server serving a small Keras .h5 the test writes: progress, cancel,
 * resume, checksum failure, offline, success, and the previous weights surviving every failure.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConvLayerName, encodeWeights, WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import { loadWeightsFromDirectory, type ModelSpec } from '@impasto/weights/node';
import {
  type Route,
  serveBytes,
  startTestServer,
  syntheticWeights,
  type TestServer,
  writeKerasH5,
} from '@impasto/weights/testing/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fake, resetFake, settle, Uri } from './test/vscode-fake.js';
import { downloadWeightsCommand } from './weights-download.js';

const LAYERS: ConvLayerName[] = ['conv1_1', 'conv1_2', 'conv2_1'];
const source = syntheticWeights(LAYERS, 8);
let server: TestServer;
let work: string;
let h5: Uint8Array;
let storage: Uri;

const spec = (md5 = createHash('md5').update(h5).digest('hex')): ModelSpec => ({
  source: { file: 'vgg19_test.h5', md5, mirrors: [`${server.base}/vgg19.h5`] },
  layers: { default: LAYERS, all: LAYERS },
  shardSha256: { float16: {}, float32: {} },
});
const stored = () => join(storage.fsPath, 'vgg19');
const messages = () => fake.messages.map((m) => [m.level, m.message.split('\n')[0]]);

/** Sends the first `bytes` of the file, then stalls until the client goes away. */
const sendThenStall =
  (bytes: number): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-length': h5.length });
    res.write(h5.subarray(0, bytes));
  };

beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'impasto-vscode-download-'));
  await writeKerasH5(join(work, 'source.h5'), source);
  h5 = new Uint8Array(await readFile(join(work, 'source.h5')));
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  resetFake();
  server.routes.clear();
  server.requests.length = 0;
  storage = Uri.file(await mkdtemp(join(work, 'storage-')));
});

/** Previous weights (conv1_1 only), written as the project's tools write them. */
async function putPreviousWeights(): Promise<void> {
  const { writeWeightsDirectory } = await import('@impasto/weights/node');
  const encoded = await encodeWeights(syntheticWeights(['conv1_1'], 99));
  await writeWeightsDirectory(stored(), encoded, {}, async () => undefined);
}

describe('Download VGG19 Weights', () => {
  it('downloads, checks and converts into global storage with a cancellable progress notification', async () => {
    server.routes.set('/vgg19.h5', serveBytes(h5));
    expect(await downloadWeightsCommand(storage, { spec: spec() })).toBe(true);
    const loaded = await loadWeightsFromDirectory(stored());
    expect(loaded.available).toEqual(LAYERS);
    const want = source.layers.get('conv2_1')?.kernel as Float32Array;
    const got = loaded.layers.get('conv2_1')?.kernel as Float32Array;
    expect(want.every((x, i) => Math.abs((got[i] as number) - x) <= Math.max(Math.abs(x), 2 ** -14) * 2 ** -11)).toBe(
      true,
    );
    const manifest = JSON.parse(await readFile(join(stored(), WEIGHTS_MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ format: 'tfjs-weights-manifest', writtenBy: 'Impasto for VS Code' });
    const [progress] = fake.progress;
    expect(progress?.cancellable).toBe(true);
    expect(progress?.reports.at(-1)?.message).toBe('done');
    expect(progress?.reports.some((r) => r.message === 'converting to float16')).toBe(true);
    expect(progress?.reports.reduce((sum, r) => sum + (r.increment ?? 0), 0)).toBeCloseTo(100);
    expect(existsSync(join(storage.fsPath, 'download'))).toBe(false); // the .h5 is not kept
    expect(messages()).toEqual([['info', `Impasto: the VGG19 weights are ready in ${stored()}.`]]);
  });

  it('cancels mid-download, keeps the previous weights, and resumes from where it stopped', async () => {
    await putPreviousWeights();
    const half = Math.floor(h5.length / 2);
    server.routes.set('/vgg19.h5', sendThenStall(half));
    const run = downloadWeightsCommand(storage, { spec: spec() });
    for (let i = 0; i < 200 && !fake.progress[0]?.reports.some((r) => r.message?.startsWith('0.0')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 200)); // let the first half arrive
    fake.progress[0]?.cancel();
    expect(await run).toBe(false);
    expect(messages()).toEqual([
      ['info', 'Impasto: weights download cancelled. Running "Impasto: Download VGG19 Weights" again resumes it.'],
    ]);
    expect((await loadWeightsFromDirectory(stored())).available).toEqual(['conv1_1']);

    server.routes.set('/vgg19.h5', serveBytes(h5));
    expect(await downloadWeightsCommand(storage, { spec: spec() })).toBe(true);
    expect(server.requests.at(-1)?.range).toBe(`bytes=${half}-`);
    expect((await loadWeightsFromDirectory(stored())).available).toEqual(LAYERS);
  });

  it('refuses a file with the wrong checksum and keeps the previous weights', async () => {
    await putPreviousWeights();
    server.routes.set('/vgg19.h5', serveBytes(h5));
    expect(await downloadWeightsCommand(storage, { spec: spec('0'.repeat(32)) })).toBe(false);
    expect(messages()).toEqual([
      [
        'error',
        'Impasto: the downloaded VGG19 weights failed their check (wrong checksum or a damaged file) and were not used. could not download a verified copy from any mirror:',
      ],
    ]);
    expect(fake.messages[0]?.message).toContain('checksum mismatch');
    expect((await loadWeightsFromDirectory(stored())).available).toEqual(['conv1_1']);
  });

  it('says so when offline (nothing answers), keeping the previous weights', async () => {
    await putPreviousWeights();
    const offline = { ...spec(), source: { ...spec().source, mirrors: ['http://127.0.0.1:1/vgg19.h5'] } };
    expect(await downloadWeightsCommand(storage, { spec: offline })).toBe(false);
    expect(messages()[0]?.[1]).toMatch(
      /^Impasto: could not download the VGG19 weights \(offline, or the servers are unreachable\); run the command again to resume/,
    );
    expect((await loadWeightsFromDirectory(stored())).available).toEqual(['conv1_1']);
  });

  it('is offered when the weights are missing', async () => {
    const { requireWeights } = await import('./stylize-session.js');
    fake.answer = (m) => (m.level === 'error' ? 'Download Weights' : undefined);
    fake.commands.set('impasto.downloadWeights', () => undefined);
    expect(await requireWeights({ extensionUri: Uri.file('/ext'), globalStorageUri: storage })).toBeUndefined();
    await settle();
    expect(fake.executed.map((e) => e.command)).toEqual(['impasto.downloadWeights']);
  });
});
