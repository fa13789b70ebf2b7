/**
 * The page's end of the engine: starts it in a Web Worker where the host can start one, else on this thread over
 * a MessageChannel (the same server and protocol, so both paths behave alike), and says which it got.
 */
import { fromWire } from '@impasto/errors';
import type { ComputeBackend, ComputeThreads, Engine } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import type { ConvLayerName } from '../network/layers.js';
import type { Vgg19Weights, WeightsProgress } from '../network/weights-types.js';
import type { StylizeOptions } from '../options.js';
import type { StylizeCallbacks, StylizeResult, WeightedStyle } from '../run/stylize.js';
import type { RuntimeFault } from '../runtime-faults.js';
import type { WasmLocation } from '../wasm-location.js';
import type { BrowserBackendPreference } from './browser-engine.js';
import type { EngineEndpoint, EngineMemory, FromEngine, ToEngine } from './engine-protocol.js';
import { serveEngine } from './engine-server.js';
import { superviseWorker } from './engine-supervisor.js';
import type { WatchdogOptions } from './watchdog.js';

/** Where an engine runs: in a Web Worker, or on the page's main thread (with why a worker could not start). */
export type EngineThread = { readonly kind: 'worker' } | { readonly kind: 'main-thread'; readonly reason: string };

export interface EngineClientOptions {
  /**
   * URL of a folder holding weights_manifest.json and its shards (relative to the page), or weights loaded (or
   * loading: the worker starts meanwhile).
   */
  readonly weights: string | Vgg19Weights | Promise<Vgg19Weights>;
  readonly backend?: BrowserBackendPreference;
  /**
   * Where the .wasm files are (ONNX Runtime's `ort-wasm-simd-threaded.wasm`, and its `.mjs` where threads may
   * run): a folder URL ending in /, or a URL per file name (e.g. blob: URLs), or the promise of one (the engine
   * starts once it settles); needed only if WebAssembly may run.
   */
  readonly wasmPaths?: WasmLocation | Promise<WasmLocation | undefined>;
  /** ort-wasm's thread count (default: one per core where the page is cross-origin isolated, else one). */
  readonly ortWasmThreads?: number;
  readonly onWeightsProgress?: WeightsProgress;
  /**
   * Starts the engine worker (engine-worker.ts, bundled by the host): `new Worker(url)`, or `workerFromSource`.
   * Absent, throwing, or a worker that fails to start: the engine runs on this thread.
   */
  readonly worker?: () => Worker | Promise<Worker>;
  /**
   * How long a run in a worker may go without progress before it counts as hung (stopped, reported as 'stalled', the
   * worker restarted); see watchdog.ts. Defaults in engine-supervisor.ts.
   */
  readonly watchdog?: Partial<WatchdogOptions>;
}

export interface EngineStylizeRequest {
  readonly content: RgbaImage;
  readonly styles: readonly WeightedStyle[];
  readonly options: Partial<StylizeOptions>;
}

/** A loaded engine as a browser host uses it, wherever it runs: RGBA in, the result and its PNG out. */
export interface EngineClient {
  readonly backend: ComputeBackend;
  /** Better backends that failed or were passed over (`software`: on a software graphics adapter), and why. */
  readonly unavailable: Engine['unavailable'];
  /** Set when the backend in use runs on a software graphics adapter (chosen by hand): the adapter's words. */
  readonly software?: string;
  /** Set where the path chooses its thread count (ort-wasm): how many, and why. */
  readonly threads?: ComputeThreads;
  readonly layers: readonly ConvLayerName[];
  readonly thread: EngineThread;
  stylize(
    request: EngineStylizeRequest,
    callbacks?: StylizeCallbacks,
  ): Promise<{ readonly result: StylizeResult; readonly png: Uint8Array }>;
  /** The memory the engine's runtimes hold (answered between runs). */
  memory(): Promise<EngineMemory>;
  dispose(): void;
}

/** A worker that could not start (blocked, script failed): the caller falls back to this thread. */
export class WorkerStartError extends Error {}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** URLs as the page means them: a worker (a blob: URL itself) has no page address to resolve them against. */
function absolute(url: string): string {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, page).href;
  } catch {
    return url;
  }
}

function absolutePaths(paths: WasmLocation): WasmLocation {
  return typeof paths === 'string'
    ? absolute(paths)
    : Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, absolute(v)]));
}

/** Loads the engine over `endpoint` and returns the client; rejects with the engine's own error if loading fails. */
export function connectEngine(
  endpoint: EngineEndpoint,
  options: EngineClientOptions,
  thread: EngineThread,
  close: () => void,
  /** Lets a worker report that it died: before `ready` the caller falls back; after, pending runs fail. */
  onCrash?: (listener: (reason: string) => void) => void,
  /** Hears of each failure inside a kernel the moment the engine reports it (runtime-faults.ts). */
  onFault?: (fault: RuntimeFault) => void,
): Promise<EngineClient> {
  const post = (message: ToEngine) => endpoint.postMessage(message, []);
  const runs = new Map<number, { resolve(m: FromEngine): void; callbacks: StylizeCallbacks }>();
  const memoryAnswers: ((m: EngineMemory) => void)[] = [];
  let nextId = 1;
  let started = false;
  return new Promise<EngineClient>((resolve, reject) => {
    onCrash?.((reason) => {
      if (!started) return reject(new WorkerStartError(reason));
      const details = { crashed: true };
      const error = { code: 'backend-failed', message: `the engine stopped: ${reason}`, details } as const;
      for (const [id, run] of runs) run.resolve({ type: 'failed', id, error });
    });
    endpoint.addEventListener('message', (event: MessageEvent) => {
      const m = event.data as FromEngine;
      if (m.type === 'weights-progress') options.onWeightsProgress?.(m.loaded, m.total);
      else if (m.type === 'load-failed') reject(fromWire(m.error));
      else if (m.type === 'ready') {
        started = true;
        resolve(client(m));
      } else if (m.type === 'progress') runs.get(m.id)?.callbacks.onProgress?.(m.progress);
      else if (m.type === 'phase') runs.get(m.id)?.callbacks.onPhase?.(m.phase);
      else if (m.type === 'tile') runs.get(m.id)?.callbacks.onTile?.(m.tile);
      else if (m.type === 'evaluation') runs.get(m.id)?.callbacks.onEvaluation?.(m.evaluations);
      else if (m.type === 'fault') onFault?.(m.fault);
      else if (m.type === 'memory') memoryAnswers.shift()?.({ wasmHeapBytes: m.wasmHeapBytes, gpuBytes: m.gpuBytes });
      else runs.get(m.id)?.resolve(m);
    });
    endpoint.start?.();
    const threads = options.ortWasmThreads ? { ortWasmThreads: options.ortWasmThreads } : {};
    // The .wasm location may still be in the making (a host inflating an inlined binary): prepare, then load, wait.
    const location = Promise.resolve(options.wasmPaths).then((paths) =>
      paths ? { wasmPaths: absolutePaths(paths) } : {},
    );
    location.then(
      (wasmPaths) => post({ type: 'prepare', backend: options.backend ?? 'auto', ...wasmPaths, ...threads }),
      () => {}, // reported with the load below
    );
    Promise.all([location, options.weights]).then(
      ([wasmPaths, weights]) =>
        post({
          type: 'load',
          weights: typeof weights === 'string' ? absolute(weights) : weights,
          backend: options.backend ?? 'auto',
          ...wasmPaths,
        }),
      reject,
    );
  });

  function client(ready: Extract<FromEngine, { type: 'ready' }>): EngineClient {
    let disposed = false;
    return {
      backend: ready.backend,
      unavailable: ready.unavailable,
      ...(ready.software ? { software: ready.software } : {}),
      ...(ready.threads ? { threads: ready.threads } : {}),
      layers: ready.layers,
      thread,
      async stylize(request, callbacks = {}) {
        if (disposed) throw new Error('this engine was disposed');
        const id = nextId++;
        const cancel = () => post({ type: 'cancel', id });
        const answer = new Promise<FromEngine>((resolve) => runs.set(id, { resolve, callbacks }));
        callbacks.signal?.addEventListener('abort', cancel);
        if (callbacks.signal?.aborted) cancel();
        post({ type: 'stylize', id, request });
        try {
          const m = await answer;
          if (m.type === 'done') return { result: m.result, png: m.png };
          throw fromWire((m as Extract<FromEngine, { type: 'failed' }>).error);
        } finally {
          runs.delete(id);
          callbacks.signal?.removeEventListener('abort', cancel);
        }
      },
      memory() {
        const answer = new Promise<EngineMemory>((resolve) => memoryAnswers.push(resolve));
        post({ type: 'memory' });
        return answer;
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        post({ type: 'dispose' });
        close();
      },
    };
  }
}

/** The engine on this thread, over a MessageChannel to the same server a worker runs. */
export function startEngineHere(options: EngineClientOptions, reason: string): Promise<EngineClient> {
  const { port1, port2 } = new MessageChannel();
  const server = serveEngine(port1 as unknown as EngineEndpoint);
  const close = () => {
    server.dispose();
    port1.close();
    port2.close();
  };
  return connectEngine(port2 as unknown as EngineEndpoint, options, { kind: 'main-thread', reason }, close).catch(
    (e: unknown) => {
      close();
      throw e;
    },
  );
}

/**
 * The engine in a worker where `options.worker` starts one (supervised: a run that hangs or fails inside a kernel is
 * stopped and the worker restarted, see engine-supervisor.ts), else on this thread (saying why).
 */
export async function startEngine(options: EngineClientOptions): Promise<EngineClient> {
  const startWorker = options.worker;
  if (!startWorker) return startEngineHere(options, 'this host starts no worker');
  try {
    return await superviseWorker(options, (onFault, restart) => {
      const { onWeightsProgress: _shownOnce, ...quietly } = options;
      return connectWorker(startWorker, restart ? quietly : options, onFault);
    });
  } catch (e) {
    if (!(e instanceof WorkerStartError)) throw e;
    return startEngineHere(options, `the engine worker could not start: ${e.message}`);
  }
}

/** A fresh worker with the engine loaded in it; rejects with WorkerStartError when the worker itself cannot start. */
async function connectWorker(
  startWorker: () => Worker | Promise<Worker>,
  options: EngineClientOptions,
  onFault: (fault: RuntimeFault) => void,
): Promise<EngineClient> {
  let worker: Worker;
  try {
    worker = await startWorker();
  } catch (e) {
    throw new WorkerStartError(messageOf(e));
  }
  const onCrash = (listener: (reason: string) => void) =>
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      listener(e.message || 'its script did not load');
    });
  try {
    return await connectEngine(
      worker as unknown as EngineEndpoint,
      options,
      { kind: 'worker' },
      () => worker.terminate(),
      onCrash,
      onFault,
    );
  } catch (e) {
    worker.terminate();
    throw e;
  }
}

const workerUrls = new Map<string, string>();

/**
 * A worker from the engine worker's bundled source, for hosts that cannot load a separate file (a null-origin
 * iframe, a webview whose CSP allows `worker-src blob:`). One blob: URL per source, kept for the page's life.
 */
export function workerFromSource(source: string): Worker {
  let url = workerUrls.get(source);
  if (!url) {
    url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    workerUrls.set(source, url);
  }
  return new Worker(url);
}
