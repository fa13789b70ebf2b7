// The supervisor with stand-in workers on a fake clock: a hang and a fault fail the run with the engine's typed
// error and replace the worker; the next run goes to the new one and works.
import { ImpastoError, isImpastoError } from '@impasto/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../options.js';
import type { StageInfo, StylizeCallbacks } from '../run/stylize.js';
import type { RuntimeFault } from '../runtime-faults.js';
import type { EngineClient } from './engine-api.js';
import type { EngineStylizeRequest } from './engine-protocol.js';
import { superviseWorker, WATCHDOG_DEFAULTS } from './engine-supervisor.js';

const stage: StageInfo = { index: 1, count: 1, width: 100, height: 100, iterations: 1 };
const request: EngineStylizeRequest = {
  content: { width: 100, height: 100, data: new Uint8Array(100 * 100 * 4) },
  styles: [],
  options: { size: 1024 },
};

type Behaviour = (callbacks: StylizeCallbacks, fault: (f: RuntimeFault) => void) => Promise<void>;

/** A stand-in worker: each run behaves as the next of `runs` says, then finishes (if the behaviour returns). */
function worker(runs: Behaviour[], onFault: (f: RuntimeFault) => void, log: string[], n: number): EngineClient {
  return {
    backend: 'wasm',
    unavailable: [],
    layers: ['conv1_1'],
    thread: { kind: 'worker' },
    async stylize(_request, callbacks = {}) {
      log.push(`worker ${n} runs`);
      await (runs.shift() ?? finishes)(callbacks, onFault);
      const image = { width: 1, height: 1, data: new Uint8Array(4) };
      const loss = { total: 1, content: 0, style: 1, tv: 0 };
      const result = { image, history: [], stages: [], iterations: 1, evaluations: 2, initialLoss: loss };
      return {
        result: { ...result, stopReason: 'iterations' as const, elapsedMs: 1, options: DEFAULT_OPTIONS },
        png: new Uint8Array(),
      };
    },
    memory: async () => ({ wasmHeapBytes: n, gpuBytes: 0 }),
    dispose: () => void log.push(`worker ${n} disposed`),
  };
}

const forever = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Two gradient tiles of 20 s each, then silence. */
const hangsAfterTwoTiles: Behaviour = async (callbacks) => {
  for (const tile of [1, 2]) {
    callbacks.onTile?.({ stage, iteration: 1, iterations: 1, pass: 'gradient', tile, tiles: 4 });
    await sleep(20_000);
  }
  callbacks.onTile?.({ stage, iteration: 1, iterations: 1, pass: 'gradient', tile: 3, tiles: 4 });
  return forever();
};
async function finishes(callbacks: StylizeCallbacks) {
  callbacks.onEvaluation?.(1);
}

/** A supervised engine whose runs, on whichever worker, behave as `runs` says, in order (then they finish). */
async function supervised(runs: Behaviour[]) {
  const log: string[] = [];
  let started = 0;
  const client = await superviseWorker({ weights: 'w/' }, async (onFault, restart) => {
    const n = ++started;
    expect(restart).toBe(n > 1);
    log.push(`worker ${n} started`);
    return worker(runs, onFault, log, n);
  });
  return { client, log };
}

describe('a supervised engine worker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a run silent for 8 × its own tile time fails as stalled, the worker is replaced, the next run works', async () => {
    const { client, log } = await supervised([hangsAfterTwoTiles]);
    let error: unknown;
    const tiles: number[] = [];
    const run = client.stylize(request, { onTile: (t) => tiles.push(t.tile) }).catch((e) => {
      error = e;
    });
    // Tiles of 2500 px took 20 s: the third may take 160 s.
    await vi.advanceTimersByTimeAsync(40_000 + 159_000);
    expect(error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    await run;
    expect(isImpastoError(error, 'stalled')).toBe(true);
    expect(tiles).toEqual([1, 2, 3]); // the run's own callbacks hear every beat
    expect((error as ImpastoError).details).toMatchObject({
      backend: 'wasm',
      size: 1024,
      silentMs: 160_000,
      expectedMs: 20_000,
      work: 'gradient',
      restarted: true,
    });
    expect(log).toEqual(['worker 1 started', 'worker 1 runs', 'worker 2 started', 'worker 1 disposed']);
    await expect(client.stylize(request)).resolves.toMatchObject({ result: { iterations: 1 } });
    expect(log.at(-1)).toBe('worker 2 runs');
    expect(await client.memory()).toEqual({ wasmHeapBytes: 2, gpuBytes: 0 });
  });

  it('a fault from inside a kernel fails the run at once as out-of-memory with its size, and replaces the worker', async () => {
    const faults: Behaviour = async (callbacks, fault) => {
      callbacks.onPhase?.({ phase: 'first-iteration', stage });
      fault({ kind: 'memory', message: "XNNPACK's xnn_setup_convolution2d_nhwc_f32 returned status 6" });
      return forever(); // the kernel hangs after printing its status, as tfjs-wasm did
    };
    const { client, log } = await supervised([faults]);
    const error = await client.stylize(request).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'out-of-memory',
      details: { backend: 'wasm', fatal: true, fault: 'memory', size: 1024, restarted: true },
    });
    expect(log).toEqual(['worker 1 started', 'worker 1 runs', 'worker 2 started', 'worker 1 disposed']);
    await expect(client.stylize(request)).resolves.toBeDefined();
  });

  it("an engine's own out-of-memory replaces the worker; other errors keep it", async () => {
    const outOfMemory: Behaviour = async () => {
      throw new ImpastoError('out-of-memory', 'the wasm heap could not hold 96 MiB more', {
        backend: 'wasm',
        fatal: true,
      });
    };
    const badMask: Behaviour = async () => {
      throw new ImpastoError('bad-mask', 'the mask has another shape');
    };
    const { client, log } = await supervised([outOfMemory, badMask]);
    await expect(client.stylize(request)).rejects.toMatchObject({ code: 'out-of-memory', details: { size: 1024 } });
    await expect(client.stylize(request)).rejects.toMatchObject({ code: 'bad-mask', details: { restarted: false } });
    await expect(client.stylize(request)).resolves.toBeDefined();
    expect(log.filter((l) => l.endsWith('started'))).toEqual(['worker 1 started', 'worker 2 started']);
  });

  it('a fault between runs: the next run starts on a fresh worker', async () => {
    let report: (f: RuntimeFault) => void = () => {};
    const keepsFault: Behaviour = async (_callbacks, fault) => {
      report = fault;
    };
    const { client, log } = await supervised([keepsFault]);
    await client.stylize(request);
    report({ kind: 'device-lost', message: 'the WebGPU device was lost' });
    await client.stylize(request);
    expect(log).toEqual([
      'worker 1 started',
      'worker 1 runs',
      'worker 2 started',
      'worker 1 disposed',
      'worker 2 runs',
    ]);
  });

  it('a cancelled run whose worker hangs ends as cancelled once the watchdog gives up, and the worker is replaced', async () => {
    const hangs: Behaviour = async () => forever();
    const { client, log } = await supervised([hangs]);
    const controller = new AbortController();
    const run = client.stylize(request, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    await vi.advanceTimersByTimeAsync(WATCHDOG_DEFAULTS.firstMs);
    expect(await run).toMatchObject({ code: 'cancelled' });
    expect(log).toContain('worker 2 started');
  });
});
