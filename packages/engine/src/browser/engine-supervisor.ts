/**
 * The engine in a Web Worker, supervised: a run that fails inside a kernel (a fault the worker reports the moment it
 * is seen: an XNNPACK status, an emscripten abort, a lost GPU device), that goes silent for far longer than its own
 * tiles and steps took (the watchdog), or whose worker dies, fails at once with the engine's typed error, and the
 * worker is replaced by a fresh one (a new runtime, its memory returned) before the next run. Independent of the
 * compute path: it sees only the engine's protocol.
 */
import { cancelledError, ImpastoError, isImpastoError } from '@impasto/errors';
import { scaleToSide } from '../image/resize.js';
import { DEFAULT_OPTIONS } from '../options.js';
import type { StageInfo, StylizeCallbacks } from '../run/stylize.js';
import { faultError, type RuntimeFault } from '../runtime-faults.js';
import type { EngineClient, EngineClientOptions } from './engine-api.js';
import type { EngineStylizeRequest } from './engine-protocol.js';
import { createWatchdog, type Stall, type WatchdogOptions } from './watchdog.js';

/**
 * A unit of work may stay silent `factor` times as long as its kind took so far (never under a minute); work of a
 * kind not yet timed in the run gets 5 minutes, 20 on a GPU, whose programs compile on first use (SwiftShader's
 * first untiled WebGL evaluation at 384 px took over 10 minutes on a busy 2-core machine), or more where the run has
 * shown the device is slow (watchdog.ts).
 */
export const WATCHDOG_DEFAULTS = { floorMs: 60_000, factor: 8, firstMs: 300_000, firstMsOnGpu: 1_200_000 } as const;

/**
 * Connects a fresh worker; `onFault` hears of its faults. `restart`: it replaces one that failed (the host has
 * shown its weights loading once: a restart loads them quietly).
 */
export type WorkerConnector = (onFault: (fault: RuntimeFault) => void, restart: boolean) => Promise<EngineClient>;

const stagePixels = (s: StageInfo) => s.width * s.height;

/** Errors after which the worker's runtime cannot be trusted: it is replaced before the next run. */
function needsRestart(e: unknown): boolean {
  if (!isImpastoError(e)) return false;
  return e.code === 'out-of-memory' || e.code === 'stalled' || e.details.fatal === true || e.details.crashed === true;
}

/** The error with the run's size in its details (the panel suggests a smaller one), and whether the worker restarts. */
function withRunDetails(e: unknown, size: number): unknown {
  if (!isImpastoError(e) || e.code === 'cancelled') return e;
  return new ImpastoError(e.code, e.message, { size, ...e.details, restarted: needsRestart(e) }, { cause: e });
}

function stallError(stall: Stall, backend: string, size: number): ImpastoError {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  const expected = stall.expectedMs === undefined ? '' : ` (such work took about ${s(stall.expectedMs)} so far)`;
  return new ImpastoError(
    'stalled',
    `the ${backend} engine made no progress for ${s(stall.silentMs)} during its ${stall.kind} work${expected}, so it was stopped`,
    { backend, size, silentMs: stall.silentMs, expectedMs: stall.expectedMs, work: stall.kind },
  );
}

/**
 * A run under watch: its callbacks beat the watchdog (and stop passing the worker's messages on once it ended);
 * `failed` rejects when `fail` is called from outside — a fault, or the watchdog, whose stall is 'stalled' (a
 * cancellation where the run was being cancelled).
 */
function watchRun(
  request: EngineStylizeRequest,
  callbacks: StylizeCallbacks,
  backend: string,
  size: number,
  overrides: Partial<WatchdogOptions> = {},
) {
  let outside = false;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = (error) => {
      outside = true;
      reject(error);
    };
  });
  const gpu = backend === 'webgl' || backend === 'webgpu';
  const { floorMs, factor, firstMs, firstMsOnGpu } = WATCHDOG_DEFAULTS;
  const watchdog = createWatchdog({ floorMs, factor, firstMs: gpu ? firstMsOnGpu : firstMs, ...overrides }, (stall) =>
    fail(callbacks.signal?.aborted ? cancelledError(callbacks.signal) : stallError(stall, backend, size)),
  );
  let live = true;
  const { width, height } = scaleToSide(request.content.width, request.content.height, size);
  let pixels = width * height;
  /** Beats the watchdog; false once the run has ended. */
  const beat = (kind: string, share = 1) => {
    if (live) watchdog.beat({ kind, pixels: pixels / share });
    return live;
  };
  const watched: StylizeCallbacks = {
    ...callbacks,
    onPhase: (p) => {
      pixels = stagePixels(p.stage);
      if (beat(`phase:${p.phase}`)) callbacks.onPhase?.(p);
    },
    onTile: (t) => {
      pixels = stagePixels(t.stage);
      if (beat(t.pass, t.tiles)) callbacks.onTile?.(t);
    },
    onEvaluation: (n) => {
      if (beat('evaluation')) callbacks.onEvaluation?.(n);
    },
    onProgress: (p) => {
      if (p.stage) pixels = stagePixels(p.stage);
      if (beat('evaluation')) callbacks.onProgress?.(p);
    },
  };
  beat('start');
  return {
    callbacks: watched,
    failed,
    fail,
    failedOutside: () => outside,
    end() {
      live = false;
      watchdog.stop();
    },
  };
}

export async function superviseWorker(options: EngineClientOptions, connect: WorkerConnector): Promise<EngineClient> {
  /** Set while a run is in flight: fails it from outside (a fault, the watchdog). */
  let failRun: ((error: unknown) => void) | null = null;
  /** A fault came between runs: the next run starts on a fresh worker. */
  let faulted = false;
  let disposed = false;
  const onFault = (fault: RuntimeFault) => {
    if (failRun) failRun(faultError(fault, latest.backend));
    else faulted = true;
  };
  let current = connect(onFault, false); // the first start's failure reaches the caller (which may fall back)
  let latest = await current;

  const restart = () => {
    const old = current;
    current = connect(onFault, true);
    faulted = false;
    current.then(
      (client) => {
        latest = client;
        if (disposed) client.dispose();
      },
      () => {}, // reported by the next run
    );
    void old.then((client) => client.dispose()).catch(() => {});
  };
  /** The connected engine for a run: a fresh one after a fault, and one more try when the last restart failed. */
  const ready = async () => {
    if (faulted) restart();
    return current.catch(() => {
      restart();
      return current;
    });
  };

  async function stylize(request: EngineStylizeRequest, callbacks: StylizeCallbacks = {}) {
    if (disposed) throw new Error('this engine was disposed');
    const client = await ready();
    const size = request.options.size ?? DEFAULT_OPTIONS.size;
    const run = watchRun(request, callbacks, client.backend, size, options.watchdog);
    failRun = run.fail;
    try {
      return await Promise.race([client.stylize(request, run.callbacks), run.failed]);
    } catch (e) {
      if (run.failedOutside() || needsRestart(e)) restart();
      throw withRunDetails(e, size);
    } finally {
      failRun = null;
      run.end();
    }
  }

  return {
    get backend() {
      return latest.backend;
    },
    get unavailable() {
      return latest.unavailable;
    },
    get software() {
      return latest.software;
    },
    get threads() {
      return latest.threads;
    },
    get layers() {
      return latest.layers;
    },
    get thread() {
      return latest.thread;
    },
    stylize,
    memory: async () => (await ready()).memory(),
    dispose() {
      if (disposed) return;
      disposed = true;
      void current.then((client) => client.dispose()).catch(() => {});
    },
  };
}
