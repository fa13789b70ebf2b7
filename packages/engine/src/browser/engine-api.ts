/**
 * The page's view of an engine, wherever it runs (a worker, supervised; or this thread): what it loaded, and how to
 * run it. engine-client.ts starts one; engine-supervisor.ts keeps one in a worker alive.
 */
import type { ComputeBackend, ComputeThreads, Engine } from '../engine.js';
import type { ConvLayerName } from '../network/layers.js';
import type { Vgg19Weights, WeightsProgress } from '../network/weights-types.js';
import type { StylizeCallbacks } from '../run/stylize.js';
import type { WasmLocation } from '../wasm-location.js';
import type { BrowserBackendPreference } from './browser-engine.js';
import type { EngineMemory, EngineRun, EngineStylizeRequest } from './engine-protocol.js';
import type { WatchdogOptions } from './watchdog.js';

/** Loads the weights on the page (a folder the visitor picked, a cache), reporting bytes as they come. */
export type WeightsLoad = (onProgress: WeightsProgress) => Promise<Vgg19Weights>;

/** Where an engine runs: in a Web Worker, or on the page's main thread (with why a worker could not start). */
export type EngineThread = { readonly kind: 'worker' } | { readonly kind: 'main-thread'; readonly reason: string };

export interface EngineClientOptions {
  /**
   * Where the engine gets its weights: the URL of a folder holding weights_manifest.json and its shards (relative to
   * the page; the engine's thread fetches them), or a loader the page runs once per start (a restarted worker's too,
   * quietly) whose arrays then move to the engine's thread — transferred, never copied, so the page keeps none.
   */
  readonly weights: string | WeightsLoad;
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
  stylize(request: EngineStylizeRequest, callbacks?: StylizeCallbacks): Promise<EngineRun>;
  /** The memory the engine's runtimes hold (answered between runs). */
  memory(): Promise<EngineMemory>;
  dispose(): void;
}
