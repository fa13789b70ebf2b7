import { CONV_LAYERS, DEFAULT_OPTIONS, LAYER_PRESETS } from '@impasto/engine';
import type { EngineClient, EngineStylizeRequest, RgbaImage, StylizeCallbacks } from '@impasto/engine/browser';
import { ImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import {
  createPanelController,
  type PanelControllerOptions,
  type PanelEvent,
  type PanelEventOf,
} from './controller.js';
import { backendText, progressValue, SIZE_TOO_LARGE, sizeNote, statusText } from './panel-text.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * "Decodes" bytes to an 8×6 image whose first byte is the first byte given; fails like the browser's decoder for
 * an empty file or one named bad.*, and gives a 1×1 image for one named dot.*.
 */
async function decode(bytes: Uint8Array | Blob, name: string): Promise<RgbaImage> {
  const b = bytes instanceof Blob ? new Uint8Array(await bytes.arrayBuffer()) : bytes;
  if (b.length === 0) throw new ImpastoError('bad-image', `${name} is empty`, { name, reason: 'empty' });
  if (name.startsWith('bad.')) throw new ImpastoError('bad-image', 'unreadable', { name, reason: 'unreadable' });
  const [width, height] = name.startsWith('dot.') ? [1, 1] : [8, 6];
  const data = new Uint8Array(width * height * 4).fill(255);
  data[0] = b[0] ?? 0;
  return { width, height, data };
}

/** An engine that runs `options.iterations` steps, one per event-loop turn, honouring the signal between steps. */
function fakeEngine(overrides: Partial<EngineClient> = {}) {
  const requests: EngineStylizeRequest[] = [];
  let disposed = 0;
  const client: EngineClient = {
    backend: 'webgl',
    unavailable: [{ name: 'webgpu', reason: 'no adapter' }],
    layers: [...LAYER_PRESETS.shallow.contentLayers, ...LAYER_PRESETS.shallow.styleLayers],
    thread: { kind: 'worker' },
    async stylize(request, callbacks: StylizeCallbacks = {}) {
      requests.push(request);
      const n = request.options.iterations ?? 1;
      for (let i = 1; i <= n; i++) {
        await tick();
        if (callbacks.signal?.aborted) throw Object.assign(new Error('stylization cancelled'), { name: 'AbortError' });
        const preview = { width: 2, height: 1, data: new Uint8Array(8).fill(i) };
        const loss = { total: 10 / i, content: 1 / i, style: 9 / i, tv: 0 };
        callbacks.onProgress?.({
          iteration: i,
          iterations: n,
          loss,
          elapsedMs: i,
          evaluations: i + 1,
          remainingMs: (n - i) * 41_500,
          preview,
        });
      }
      const image = { width: 2, height: 1, data: new Uint8Array(8).fill(200) };
      const result = {
        image,
        history: [],
        stages: [],
        iterations: n,
        evaluations: n + 1,
        initialLoss: { total: 20, content: 2, style: 18, tv: 0 },
        stopReason: 'iterations' as const,
        elapsedMs: 1500,
      };
      return { result: { ...result, options: DEFAULT_OPTIONS }, png: new Uint8Array([0x89, 0x50]) };
    },
    memory: async () => ({ wasmHeapBytes: 0, gpuBytes: 0 }),
    dispose: () => void disposed++,
    ...overrides,
  };
  return { client, requests, disposed: () => disposed };
}

function setUp(options: Partial<PanelControllerOptions> = {}, engine = fakeEngine()) {
  const starts: { backend: string; weights: unknown }[] = [];
  const controller = createPanelController({
    weights: 'https://example.org/weights/',
    decode,
    settings: { iterations: 3, size: 32 },
    startEngine: async (r) => {
      starts.push({ backend: r.backend, weights: r.weights });
      if (typeof r.weights === 'function') await r.weights(r.onWeightsProgress); // as the engine does
      return engine.client;
    },
    ...options,
  });
  const events: PanelEvent[] = [];
  const types = [
    'settings',
    'engine-ready',
    'engine-failed',
    'started',
    'phase',
    'progress',
    'tile',
    'done',
    'failed',
    'cancelled',
    'message',
  ] as const;
  for (const type of types) controller.on(type, (e) => events.push(e));
  const seen = (type: PanelEvent['type']) => events.filter((e) => e.type === type);
  return { controller, events, seen, starts, engine };
}

describe('the panel controller', () => {
  it('starts the engine at once and reports the weights loading, the backend and where it runs', async () => {
    const statuses: string[] = [];
    const { controller, seen } = setUp({
      weights: async (onProgress) => {
        onProgress(0, 200);
        statuses.push(statusText(controller.state()));
        onProgress(100, 200);
        statuses.push(statusText(controller.state()), String(progressValue(controller.state())));
        return { available: [], layers: new Map() };
      },
    });
    expect(controller.state().engine.status).toBe('idle');
    await tick();
    expect(statuses).toEqual(['Loading weights: 0%', 'Loading weights: 50%', '0.5']);
    expect(seen('engine-ready')).toHaveLength(1);
    expect(backendText(controller.state().engine)).toBe(
      'Running on WebGL — WebGPU unavailable (no adapter) · shallow layers (style conv1_1, conv2_1, conv3_1; content conv3_2): the weights stop at conv3_2',
    );
  });

  it('says so when the engine runs on the main thread', async () => {
    const engine = fakeEngine({ thread: { kind: 'main-thread', reason: 'workers are blocked here' } });
    const { controller } = setUp({}, engine);
    await tick();
    expect(backendText(controller.state().engine)).toMatch(
      /^Running on WebGL .*on the page's main thread.*\(workers are blocked here\)$/,
    );
  });

  it('checks content and styles before a run, and starts nothing without them', async () => {
    const { controller, seen } = setUp({ contentNoun: 'layer' });
    await controller.start();
    expect(controller.state().message).toEqual({ text: 'Choose a layer first.', kind: 'error' });
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.start();
    expect(controller.state().message).toEqual({ text: 'Choose at least one style.', kind: 'error' });
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.setStyleWeight(controller.state().styles[0]?.id ?? -1, 0);
    await controller.start();
    expect(controller.state().message.text).toBe('Choose at least one style.');
    expect(seen('started')).toHaveLength(0);
  });

  it('runs: phases, progress with previews, then done with the PNG, in that order', async () => {
    const { controller, events, engine } = setUp({ settings: { iterations: 3, size: 32, strength: 75 } });
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    await controller.addStyle(new Uint8Array([2]), 'b.jpg');
    await controller.addStyle(new Uint8Array([3]), 'off.jpg');
    const [a, b, off] = controller.state().styles;
    controller.setStyleWeight(a?.id ?? -1, 80);
    controller.setStyleWeight(off?.id ?? -1, 0);
    controller.setStyleMask(b?.id ?? -1, { name: 'm.png', bytes: new Uint8Array([255]) });
    const statuses: string[] = [];
    controller.on('progress', () => statuses.push(statusText(controller.state())));
    await controller.loadEngine();
    events.length = 0;
    await controller.start();

    expect(events.map((e) => (e.type === 'phase' ? `phase:${e.phase}` : e.type))).toEqual([
      'started',
      'phase:network',
      'phase:decoding',
      'phase:stylizing',
      'progress',
      'progress',
      'progress',
      'done',
    ]);
    const request = engine.requests[0];
    expect(request?.content.data[0]).toBe(7);
    expect(request?.styles.map((s) => [s.image.data[0], s.weight, s.mask?.data[0]])).toEqual([
      [1, 80, undefined],
      [2, 50, 255],
    ]);
    expect(request?.options.styleWeight).toBeCloseTo(DEFAULT_OPTIONS.styleWeight * 10, 6);
    expect(request?.options.contentLayers).toEqual(LAYER_PRESETS.shallow.contentLayers);
    expect(statuses[0]).toBe(
      'Iteration 1/3 · loss 1.00e+1 (content 1.00e+0, style 9.00e+0) · estimating the time left',
    );
    expect(statuses[1]).toBe('Iteration 2/3 · loss 5.00e+0 (content 5.00e-1, style 4.50e+0) · 0:42 left');
    expect(statuses).toHaveLength(3);
    const state = controller.state();
    expect(statusText(state)).toBe('Done: 3 iterations in 0:02');
    expect(state.preview?.data[0]).toBe(200);
    const content = { id: 'photo.png', name: 'photo.png' };
    expect(events.at(-1)).toEqual({
      type: 'done',
      result: { png: new Uint8Array([0x89, 0x50]), width: 2, height: 1, content },
    });
  });

  it('a coarse-to-fine run names its stage and size; one that stopped early says the picture stopped changing', async () => {
    const statuses: string[] = [];
    const loss = { total: 10, content: 1, style: 9, tv: 0 };
    const stages = [1, 2].map((index) => ({ index, count: 2, width: 512 * index, height: 384 * index, iterations: 9 }));
    const staged = fakeEngine({
      async stylize(request, callbacks: StylizeCallbacks = {}) {
        for (const [k, stage] of stages.entries()) {
          callbacks.onProgress?.({
            iteration: 12 + k,
            iterations: 300,
            loss,
            elapsedMs: 30_000,
            evaluations: 13 + k,
            remainingMs: 90_000,
            stage,
          });
          await tick();
        }
        const image = { width: 2, height: 1, data: new Uint8Array(8).fill(200) };
        const result = {
          image,
          history: [],
          stages,
          iterations: 13,
          evaluations: 15,
          initialLoss: loss,
          stopReason: 'converged' as const,
          elapsedMs: 61_000,
          options: { ...DEFAULT_OPTIONS, ...request.options },
        };
        return { result, png: new Uint8Array([0x89, 0x50]) };
      },
    });
    const { controller } = setUp({}, staged);
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.on('change', (e) => statuses.push(statusText(e.state)));
    await controller.start();
    expect(statuses).toContain(
      'Stage 1 of 2 · 512 px · iteration 12/300 · loss 1.00e+1 (content 1.00e+0, style 9.00e+0) · 1:30 left',
    );
    expect(statuses).toContain(
      'Stage 2 of 2 · 1024 px · iteration 13/300 · loss 1.00e+1 (content 1.00e+0, style 9.00e+0) · 1:30 left',
    );
    expect(statuses.at(-1)).toBe('Done: 13 iterations in 1:01 — the picture stopped changing');
  });

  it('Cancel stops the run within a step; the next run starts afresh', async () => {
    const { controller, seen, engine } = setUp({ settings: { iterations: 2000 } });
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.on('progress', (e) => e.progress.iteration === 2 && controller.cancel());
    await controller.start();
    expect(seen('progress')).toHaveLength(2);
    expect(seen('cancelled')).toHaveLength(1);
    expect(controller.state().run.status).toBe('cancelled');
    expect(controller.state().message).toEqual({ text: 'Cancelled.', kind: 'info' });
    expect([statusText(controller.state()), progressValue(controller.state())]).toEqual(['', 0]);
    controller.updateSettings({ iterations: 1 });
    await controller.start();
    expect(seen('done')).toHaveLength(1);
    expect(engine.requests).toHaveLength(2);
  });

  it('a failing run says why in words and leaves the panel usable', async () => {
    const failing = fakeEngine({
      stylize: () => Promise.reject(new ImpastoError('out-of-memory', 'webgl ran out of memory (Failed to allocate)')),
    });
    const { controller, seen } = setUp({}, failing);
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    await controller.start();
    const message = 'The device ran out of memory. Try a smaller size.';
    expect(seen('failed')).toEqual([{ type: 'failed', message, error: expect.any(Error) }]);
    expect(controller.state().message).toEqual({ text: message, kind: 'error' });
    expect(controller.state().run.status).toBe('failed');
  });

  it('knows the largest size this device can run: the menu marks the rest and a run above it is refused up front', async () => {
    // 256 MiB on WebGL, shallow layers, L-BFGS: 268 B a pixel in the page (memory-policy.ts runBytes) within ¾ of it
    // holds 751 219 px; a 4:3 photo fits at 1000x750, not at 1001x751.
    const engine = fakeEngine();
    const { controller, seen } = setUp({ hostMemory: { bytes: 256 * 1024 ** 2, deviceGB: 0.5 } }, engine);
    await controller.loadEngine();
    await tick();
    expect(controller.state().sizes).toEqual({ largest: 1000, failed: null });
    expect([768, 1024].map((size) => sizeNote(size, controller.state().sizes))).toEqual(['', SIZE_TOO_LARGE]);
    await controller.setContent(new Uint8Array([7]), 'photo.png'); // 8x6: 4:3 as well
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.updateSettings({ size: 1024 });
    await controller.start();
    expect(engine.requests).toHaveLength(0);
    expect(seen('failed')).toHaveLength(1);
    expect(controller.state().message.text).toBe(
      'This device has about 0.5 GB of memory; a 1024x768 picture needs 0.28 GB, more than the 0.27 GB a run may use here. Choose 768 px or smaller.',
    );
    controller.updateSettings({ size: 768 });
    await controller.start();
    expect(engine.requests).toHaveLength(1);
  });

  it('remembers a size that ran out of memory: the menu says so until a run at that size finishes', async () => {
    let fail = true;
    const engine = fakeEngine();
    const stylize = engine.client.stylize;
    engine.client.stylize = async (request, callbacks) => {
      if (!fail) return stylize(request, callbacks);
      throw new ImpastoError('out-of-memory', 'wasm failed inside a kernel', {
        size: request.options.size,
        restarted: true,
      });
    };
    const { controller } = setUp({ settings: { iterations: 1, size: 512 } }, engine);
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    await controller.start();
    expect(controller.state().message.text).toBe(
      "512 px did not fit in this device's memory; 384 px should. The engine has been restarted.",
    );
    expect(controller.state().sizes.failed).toBe(512);
    expect([384, 512, 1024].map((size) => sizeNote(size, controller.state().sizes))).toEqual([
      '',
      'did not fit here',
      'did not fit here',
    ]);
    fail = false;
    controller.updateSettings({ size: 384 });
    await controller.start();
    expect(controller.state().sizes.failed).toBe(512);
    controller.updateSettings({ size: 512 });
    await controller.start();
    expect(controller.state().sizes.failed).toBeNull();
  });

  it('an image that does not decode is an error message, not a crash', async () => {
    const { controller } = setUp();
    await controller.setContent(new Uint8Array(), 'notes.txt');
    expect(controller.state().message).toEqual({ text: 'notes.txt is empty: it has no pixels.', kind: 'error' });
    expect(controller.state().content).toBeNull();
  });

  it('a network that cannot load says so once, and the next run tries again', async () => {
    let tries = 0;
    const engine = fakeEngine();
    const { controller, seen } = setUp({
      startEngine: async () => {
        if (++tries === 1) throw new Error('weights_manifest.json: HTTP 404');
        return engine.client;
      },
    });
    await tick();
    expect(seen('engine-failed').map((e) => e.type === 'engine-failed' && e.message)).toEqual([
      'Could not load the network: weights_manifest.json: HTTP 404.',
    ]);
    expect(controller.state().engine.status).toBe('failed');
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    await controller.start();
    expect([tries, seen('done').length]).toEqual([2, 1]);
  });

  it('a new backend or new weights replace the engine, disposing the old one', async () => {
    const { controller, starts, engine, seen } = setUp();
    await tick();
    // 'wasm' (stored by older versions, or in an address) now means ONNX Runtime's WebAssembly.
    controller.updateSettings({ backend: 'wasm' as never, size: 99999 });
    expect(seen('settings').at(-1)).toMatchObject({ settings: { backend: 'ort-wasm', size: 4096 } });
    await tick();
    controller.setWeights('https://example.org/other/');
    await tick();
    expect(starts).toEqual([
      { backend: 'auto', weights: 'https://example.org/weights/' },
      { backend: 'ort-wasm', weights: 'https://example.org/weights/' },
      { backend: 'ort-wasm', weights: 'https://example.org/other/' },
    ]);
    expect(engine.disposed()).toBe(2);
    controller.dispose();
    await tick();
    expect(engine.disposed()).toBe(3);
  });

  it('keeps the chosen styles: weights clamped, masks set and dropped, removal', async () => {
    const { controller } = setUp();
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    await controller.addStyle(new Uint8Array([2]), 'b.jpg');
    const [a, b] = controller.state().styles;
    controller.setStyleWeight(a?.id ?? -1, 140.6);
    controller.setStyleMask(b?.id ?? -1, { name: 'm.png', bytes: new Uint8Array([1]) });
    expect(controller.state().styles.map((s) => [s.name, s.weight, s.mask?.name])).toEqual([
      ['a.jpg', 100, undefined],
      ['b.jpg', 50, 'm.png'],
    ]);
    controller.setStyleMask(b?.id ?? -1, undefined);
    controller.removeStyle(a?.id ?? -1);
    expect(controller.state().styles.map((s) => [s.name, 'mask' in s])).toEqual([['b.jpg', false]]);
  });

  it('loads an example by URL, and says which one failed', async () => {
    const fetchStub = (async (url: string) =>
      url.endsWith('ok.jpg')
        ? new Response(new Uint8Array([9]))
        : new Response('', { status: 404 })) as unknown as typeof fetch;
    const { controller } = setUp({ fetch: fetchStub });
    await controller.addExample({ name: 'swirls', url: '/ok.jpg' });
    await controller.addExample({ name: 'waves', url: '/gone.jpg' });
    expect(controller.state().styles.map((s) => [s.name, s.bytes[0]])).toEqual([['swirls', 9]]);
    expect(controller.state().message).toEqual({ text: 'Could not load the example waves: HTTP 404', kind: 'error' });
  });

  it('checks a photo and a style the moment they are chosen; a rejected file clears the old result', async () => {
    const { controller, seen } = setUp({ settings: { iterations: 1, size: 384 } });
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    expect(await controller.addStyle(new Uint8Array([1]), 'bad.png')).toBe(false);
    expect(controller.state().styles).toEqual([]);
    expect(controller.state().message).toEqual({
      text: 'bad.png is not an image this browser can read (PNG, JPEG, WebP and GIF are).',
      kind: 'error',
    });
    expect(await controller.addStyle(new Uint8Array([1]), 'a.jpg')).toBe(true);
    expect(controller.state().message.text).toBe('');
    await controller.start();
    expect(controller.state().run.status).toBe('done');

    // A 1×1 photo: the shallow layers need 4×4; the old result goes, the preview shows the photo still chosen.
    expect(await controller.setContent(new Uint8Array([9]), 'dot.png')).toBe(false);
    expect(controller.state().message.text).toBe(
      'dot.png (1x1) is too small or too narrow: the run would use it at 1x1 px, and the style layers need at least 4 px a side. Choose a larger or less narrow image, or a larger size.',
    );
    expect(controller.state().run.status).toBe('idle');
    expect(controller.state().content?.name).toBe('photo.png');
    expect(controller.state().preview?.data[0]).toBe(7);
    expect(seen('done')).toHaveLength(1);
  });

  it('shows a busy sign while a chosen file is read', async () => {
    let release = () => {};
    const slow = async (bytes: Uint8Array | Blob, name: string) => {
      await new Promise<void>((r) => {
        release = r;
      });
      return decode(bytes, name);
    };
    const { controller } = setUp({ decode: slow });
    const adding = controller.setContent(new Uint8Array([7]), 'big.jpg');
    await tick();
    expect([controller.state().checking, statusText(controller.state())]).toEqual(['big.jpg', 'Reading big.jpg…']);
    release();
    await adding;
    expect([controller.state().checking, statusText(controller.state())]).toEqual([null, '']);
  });

  it('says what a run does from the first moment: network, style targets, first iteration, then iterations', async () => {
    const statuses: string[] = [];
    const stage = { index: 1, count: 2, width: 64, height: 48, iterations: 1 };
    const phased = fakeEngine({
      async stylize(_request, callbacks = {}) {
        callbacks.onPhase?.({ phase: 'style-targets', stage });
        callbacks.onPhase?.({ phase: 'first-iteration', stage });
        throw new ImpastoError('cancelled', 'stylization cancelled');
      },
    });
    const { controller } = setUp({}, phased);
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.on('change', (e) => statuses.push(statusText(e.state)));
    await controller.start();
    expect([...new Set(statuses)]).toEqual([
      'Starting…',
      'Reading the style images…',
      'Starting the run…',
      'Computing the style targets (stage 1 of 2, 64 px)…',
      'Running the first iteration (stage 1 of 2, 64 px) — the first is the slowest while the graphics programs compile…',
      '',
    ]);
  });

  it('names the tile a tiled run is on, and which iteration and pass; the next progress clears it', async () => {
    const statuses: string[] = [];
    const stage = { index: 1, count: 1, width: 4096, height: 3072, iterations: 2 };
    const tile = (iteration: number, pass: 'targets' | 'style-statistics' | 'gradient', k: number, n: number) =>
      ({ stage, iteration, iterations: 2, pass, tile: k, tiles: n }) as const;
    const loss = { total: 10, content: 1, style: 9, tv: 0 };
    const tiled = fakeEngine({
      async stylize(_request, callbacks = {}) {
        callbacks.onPhase?.({ phase: 'style-targets', stage });
        callbacks.onPhase?.({ phase: 'first-iteration', stage });
        callbacks.onTile?.(tile(1, 'targets', 3, 20));
        callbacks.onTile?.(tile(1, 'gradient', 1, 12));
        callbacks.onTile?.(tile(1, 'gradient', 2, 12));
        const progress = { iterations: 2, loss, elapsedMs: 1, evaluations: 2, remainingMs: 90_000, stage };
        callbacks.onProgress?.({ ...progress, iteration: 1 });
        callbacks.onTile?.(tile(2, 'style-statistics', 5, 12));
        callbacks.onProgress?.({ ...progress, iteration: 2 });
        throw new ImpastoError('cancelled', 'stylization cancelled');
      },
    });
    const { controller, seen } = setUp({}, tiled);
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.on('change', (e) => statuses.push(statusText(e.state)));
    await controller.start();
    expect(seen('tile').map((e) => (e.type === 'tile' ? `${e.tile.pass} ${e.tile.tile}/${e.tile.tiles}` : ''))).toEqual(
      ['targets 3/20', 'gradient 1/12', 'gradient 2/12', 'style-statistics 5/12'],
    );
    expect([...new Set(statuses)]).toEqual([
      'Starting…',
      'Reading the style images…',
      'Starting the run…',
      'Computing the style targets…',
      'Running the first iteration — the first is the slowest while the graphics programs compile…',
      'Computing the style targets · tile 3 of 20…',
      'Running the first iteration · tile 1 of 12 (gradient) — the first is the slowest while the graphics programs compile…',
      'Running the first iteration · tile 2 of 12 (gradient)…',
      'Iteration 1/2 · loss 1.00e+1 (content 1.00e+0, style 9.00e+0) · estimating the time left',
      'Iteration 1/2 · loss 1.00e+1 (content 1.00e+0, style 9.00e+0) · estimating the time left · iteration 2, tile 5 of 12 (style statistics)',
      'Iteration 2/2 · loss 1.00e+1 (content 1.00e+0, style 9.00e+0) · 1:30 left',
      '',
    ]);
  });

  it('started names the content the run reads: the id the host gave, else the file name', async () => {
    const { controller, seen } = setUp();
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.start();
    await controller.setContent(new Uint8Array([8]), 'Layer 2', '12:34');
    await controller.start();
    expect(seen('started')).toEqual([
      { type: 'started', contentId: 'photo.png' },
      { type: 'started', contentId: '12:34' },
    ]);
    // The result says where it came from even after the content changed: a host places it beside that object.
    await controller.setContent(new Uint8Array([9]), 'Layer 3', '56:78');
    const results = seen('done').map((e) => (e as PanelEventOf<'done'>).result.content);
    expect(results).toEqual([
      { id: 'photo.png', name: 'photo.png' },
      { id: '12:34', name: 'Layer 2' },
    ]);
  });

  it('a cancelled run keeps the picture it had reached, for the result actions', async () => {
    const encoded: number[] = [];
    const encode = async (image: RgbaImage) => {
      encoded.push(image.data[0] ?? -1);
      return new Uint8Array([0x89, image.data[0] ?? 0]);
    };
    const { controller } = setUp({ encode, settings: { iterations: 50 } });
    await controller.setContent(new Uint8Array([7]), 'photo.png');
    await controller.addStyle(new Uint8Array([1]), 'a.jpg');
    controller.on('progress', (e) => e.progress.iteration === 3 && controller.cancel());
    await controller.start();
    const run = controller.state().run;
    expect(run).toEqual({
      status: 'cancelled',
      iteration: 3,
      partial: { png: new Uint8Array([0x89, 3]), width: 2, height: 1, content: { id: 'photo.png', name: 'photo.png' } },
    });
    expect(encoded).toEqual([3]);
    expect(statusText(controller.state())).toBe('Stopped at iteration 3');
    expect(controller.state().message.text).toBe('Cancelled: the picture so far can be kept.');
  });

  it('passes over a software adapter in words, and names a forced one', () => {
    const engine = {
      status: 'ready',
      backend: 'ort-wasm',
      threads: { count: 2, why: '2 threads, one per core (the page is cross-origin isolated)' },
      unavailable: [
        { name: 'webgpu', reason: 'software rendering', software: 'google swiftshader' },
        { name: 'webgl', reason: 'software rendering', software: 'ANGLE (SwiftShader)' },
      ],
      layers: [...CONV_LAYERS],
    } as const;
    expect(backendText(engine)).toBe(
      "Running on WebAssembly (ONNX Runtime), 2 threads, one per core (the page is cross-origin isolated) — this computer's graphics are emulated in software (google swiftshader), where WebAssembly is faster",
    );
    expect(backendText({ status: 'ready', backend: 'webgl', unavailable: [], software: 'SwiftShader' })).toBe(
      'Running on WebGL — emulated in software (SwiftShader): slow here, Auto would choose WebAssembly',
    );
  });
});
