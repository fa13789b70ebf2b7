// The engine's page ↔ worker protocol, end to end in Node: the real server and client over a MessageChannel (the
// same path a page takes when no worker can start), on tfjs-cpu with synthetic weights and a stand-in PNG encoder.

import { messagePort, type Port } from '@impasto/channel';
import { ImpastoError, isCancellation } from '@impasto/errors';
import { syntheticWeights } from '@impasto/weights/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../image/rgba.js';
import type { StylizeProgress, StylizeTileProgress } from '../run/stylize.js';
import { type RuntimeFault, reportRuntimeFault, takeRuntimeFault } from '../runtime-faults.js';
import { tf } from '../tfjs/tf.js';
import { planTiles, tileCount } from '../tiling/plan.js';
import type { EngineClient } from './engine-api.js';
import { connectEngine } from './engine-client.js';
import { serveEngine } from './engine-server.js';

/** "PNG": the image's size and first pixel, so the test sees the encoder ran on the result. */
const fakePng = async (image: RgbaImage) => new Uint8Array([image.width, image.height, ...image.data.subarray(0, 4)]);

function checker(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++)
    data.set((i + Math.floor(i / width)) % 2 ? [220, 40, 40, 255] : [20, 60, 200, 255], i * 4);
  return { width, height, data };
}

const faults: RuntimeFault[] = [];

/** What the page sent the engine, with each message's transfer list. */
type Sent = { readonly message: unknown; readonly transfer: ArrayBuffer[] }[];

function connect(
  weights: Parameters<typeof connectEngine>[1]['weights'],
  progress: [number, number][] = [],
  sent: Sent = [],
) {
  const { port1, port2 } = new MessageChannel();
  const page = messagePort(port2);
  const recording: Port = {
    send(message, transfer) {
      sent.push({ message, transfer: [...transfer] });
      page.send(message, transfer);
    },
    listen: page.listen,
  };
  const server = serveEngine(messagePort(port1), { encode: fakePng });
  const close = () => {
    server.dispose();
    port1.close();
    port2.close();
  };
  return connectEngine(
    recording,
    { weights, backend: 'cpu', onWeightsProgress: (l, t) => progress.push([l, t]) },
    { kind: 'main-thread', reason: 'a test' },
    close,
    undefined,
    (fault) => faults.push(fault),
  );
}

const options = { contentLayers: ['conv2_1'], styleLayers: ['conv1_1', 'conv2_1'], size: 16, previewEvery: 1 } as const;
const request = (iterations: number) => ({
  content: checker(16, 12),
  styles: [{ image: checker(8, 8), weight: 1 }],
  options: { ...options, iterations },
});

describe('the engine over its message channel', () => {
  let engine: EngineClient;
  let tensorsBefore: number;
  beforeAll(async () => {
    await tf.ready();
    tensorsBefore = tf.memory().numTensors;
    engine = await connect(async () => syntheticWeights('conv2_1'));
  });
  afterAll(() => engine?.dispose());

  it('loads weights sent as data and reports what it runs on', () => {
    expect([engine.backend, engine.thread, engine.layers]).toEqual([
      'cpu',
      { kind: 'main-thread', reason: 'a test' },
      ['conv1_1', 'conv1_2', 'conv2_1'],
    ]);
  });

  it('streams progress with previews, then the result and its encoded PNG', async () => {
    const seen: StylizeProgress[] = [];
    const { result, png } = await engine.stylize(request(3), { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.iteration, p.iterations, p.preview?.width, p.preview?.height])).toEqual([
      [1, 3, 16, 12],
      [2, 3, 16, 12],
      [3, 3, 16, 12],
    ]);
    expect(seen.every((p) => Number.isFinite(p.loss.total) && p.loss.total > 0)).toBe(true);
    expect([result.image.width, result.image.height, result.iterations, result.history.length]).toEqual([16, 12, 3, 3]);
    expect(Array.from(png)).toEqual([16, 12, ...result.image.data.subarray(0, 4)]);
    // The last preview is the result itself.
    expect(Array.from(seen[2]?.preview?.data ?? [])).toEqual(Array.from(result.image.data));
  });

  it('Cancel takes effect within one step and the engine runs again afterwards', async () => {
    const controller = new AbortController();
    const iterations: number[] = [];
    const run = engine.stylize(request(500), {
      signal: controller.signal,
      onProgress: (p) => {
        iterations.push(p.iteration);
        if (p.iteration === 2) controller.abort();
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(isCancellation(error)).toBe(true);
    expect(error).toBeInstanceOf(ImpastoError);
    expect(iterations.length).toBeLessThanOrEqual(3);
    expect((await engine.stylize(request(1))).result.iterations).toBe(1);
  });

  it('beats after every evaluation, passes faults on as they happen, and says what its runtimes hold', async () => {
    const beats: number[] = [];
    const { result } = await engine.stylize(request(3), { onEvaluation: (n) => beats.push(n) });
    expect(beats).toEqual(Array.from({ length: result.evaluations }, (_, k) => k + 1));
    reportRuntimeFault({ kind: 'memory', message: 'XNNPACK returned status 6' });
    takeRuntimeFault(); // the engine's own check would restart its backend before the next run: not in this test
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(faults).toEqual([{ kind: 'memory', message: 'XNNPACK returned status 6' }]);
    // No wasm heap on tfjs-cpu in Node, nor GPU bytes.
    expect(await engine.memory()).toEqual({ wasmHeapBytes: 0, gpuBytes: 0 });
  });

  it("the engine's errors cross as ImpastoErrors with their message", async () => {
    const error = await engine.stylize({ ...request(1), options: { ...options, iterations: 0 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ImpastoError);
    expect([(error as ImpastoError).code, (error as ImpastoError).details]).toEqual([
      'bad-option',
      { option: 'iterations' },
    ]);
    expect((error as Error).message).toMatch(/iterations/);
  });

  /** 32x24 in tiles of 16 (12 tiles); Adam: the first iteration evaluates the starting image and its step, later ones once, the last loss-only. */
  const tiled = (iterations: number) => ({
    ...request(iterations),
    content: checker(32, 24),
    options: { ...options, iterations, size: 32, tileSize: 16, optimizer: 'adam', coarseToFine: 'off' } as const,
  });
  const TILES = tileCount(planTiles(32, 24, ['conv1_1', 'conv2_1'], 16));

  it('a tiled run reports each tile over the channel, k of n per pass, naming the iteration under way', async () => {
    expect(TILES).toBe(12);
    const seen: StylizeTileProgress[] = [];
    await engine.stylize(tiled(2), { onTile: (t) => seen.push(t) });
    const said = seen.map((t) => `${t.iteration}/${t.iterations} ${t.pass} ${t.tile}/${t.tiles}`);
    const pass = (iteration: number, name: string) =>
      Array.from({ length: TILES }, (_, k) => `${iteration}/2 ${name} ${k + 1}/${TILES}`);
    const targets = said.filter((s) => s.includes('targets'));
    expect(targets.length).toBeGreaterThan(TILES); // the style image's tiles, then the content's
    expect(said).toEqual([
      ...targets,
      ...pass(1, 'style-statistics'),
      ...pass(1, 'gradient'),
      ...pass(1, 'style-statistics'),
      ...pass(1, 'gradient'),
      ...pass(2, 'style-statistics'),
      ...pass(2, 'content'), // Adam's last step only reports the loss: no gradient pass
    ]);
    expect(seen.every((t) => t.stage.width === 32 && t.stage.height === 24)).toBe(true);
    const untiled: StylizeTileProgress[] = [];
    await engine.stylize(request(2), { onTile: (t) => untiled.push(t) });
    expect(untiled).toEqual([]);
  });

  it('Cancel between tiles ends the run before the evaluation finishes; the engine runs again afterwards', async () => {
    const controller = new AbortController();
    const gradientTiles: number[] = [];
    const error = await engine
      .stylize(tiled(5), {
        signal: controller.signal,
        onTile: (t) => {
          if (t.pass !== 'gradient') return;
          gradientTiles.push(t.tile);
          if (t.tile === 2) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(isCancellation(error)).toBe(true);
    expect(error).toBeInstanceOf(ImpastoError);
    // The cancel crosses the channel (a round trip: here, on one thread, a tile or two later); without checks
    // between tiles all 12 would run.
    expect(gradientTiles.length).toBeLessThan(TILES);
    expect((await engine.stylize(tiled(1))).result.iterations).toBe(1);
  });

  it('frees every tensor once disposed', async () => {
    const other = await connect(async () => syntheticWeights('conv2_1'));
    await other.stylize(request(2));
    other.dispose();
    engine.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('moves weights loaded on the page to the engine: their buffers are transferred, not cloned', async () => {
    const weights = syntheticWeights('conv1_2');
    const buffers = new Set([...weights.layers.values()].flatMap((w) => [w.kernel.buffer, w.bias.buffer]));
    const sent: Sent = [];
    const other = await connect(async () => weights, [], sent);
    const load = sent.find((s) => (s.message as { type?: string }).type === 'load');
    expect(load?.transfer.length).toBeGreaterThan(0);
    expect(new Set(load?.transfer)).toEqual(buffers);
    // Moved, not copied: the page's arrays are empty now.
    expect([...weights.layers.values()].map((w) => w.kernel.byteLength + w.bias.byteLength)).toEqual([0, 0]);
    expect(other.layers).toEqual(['conv1_1', 'conv1_2']);
    other.dispose();
  });

  it('weights that cannot be fetched reject the start with an ImpastoError', async () => {
    const sent: Sent = [];
    const error = await connect('http://127.0.0.1:9/weights/', [], sent).catch((e: unknown) => e);
    // A URL goes as it is: the engine's thread fetches the weights.
    const load = sent.find((s) => (s.message as { type?: string }).type === 'load');
    expect([(load?.message as { payload?: { weights?: unknown } })?.payload?.weights, load?.transfer]).toEqual([
      'http://127.0.0.1:9/weights/',
      [],
    ]);
    expect(error).toBeInstanceOf(ImpastoError);
    // The weights loader's own codes come with @impasto/weights; here it crosses as whatever it threw.
    expect((error as Error).message).not.toBe('');
  });
});
