/**
 * The page's end of the engine: starts it in a Web Worker where the host can start one, else on this thread over
 * a MessageChannel (the same server and protocol, so both paths behave alike), and says which it got.
 */
import { type Channel, createChannel, messagePort, type Port } from '@impasto/channel';
import { ImpastoError, messageOf, toWire } from '@impasto/errors';
import type { StylizeCallbacks } from '../run/stylize.js';
import type { RuntimeFault } from '../runtime-faults.js';
import type { WasmLocation } from '../wasm-location.js';
import type { EngineClient, EngineClientOptions, EngineThread } from './engine-api.js';
import {
  ENGINE_CHANNEL,
  ENGINE_PROTOCOL_VERSION,
  ENGINE_TO_PAGE_CHECKS,
  type EngineReady,
  type EngineToPage,
  type PageToEngine,
  weightsTransfer,
} from './engine-protocol.js';
import { decodeEngineError, serveEngine } from './engine-server.js';
import { superviseWorker } from './engine-supervisor.js';

type PageChannel = Channel<PageToEngine, EngineToPage>;

/** A worker that could not start (blocked, script failed): the caller falls back to this thread. */
export class WorkerStartError extends Error {}

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

/** Starts the compute path as soon as the .wasm location is known (a host may still be inflating it), then loads. */
async function load(channel: PageChannel, options: EngineClientOptions): Promise<EngineReady> {
  const backend = options.backend ?? 'auto';
  const threads = options.ortWasmThreads ? { ortWasmThreads: options.ortWasmThreads } : {};
  const location = Promise.resolve(options.wasmPaths).then((paths) =>
    paths ? { wasmPaths: absolutePaths(paths) } : {},
  );
  location.then(
    (wasmPaths) => channel.emit('prepare', { backend, ...wasmPaths, ...threads }),
    () => {}, // reported with the load below
  );
  const source = options.weights;
  const onProgress = options.onWeightsProgress ?? (() => {});
  const loading = typeof source === 'string' ? absolute(source) : source(onProgress);
  const [wasmPaths, weights] = await Promise.all([location, loading]);
  // Weights loaded on the page move to the engine: their buffers are transferred, not cloned.
  return channel.request('load', { weights, backend, ...wasmPaths }, weightsTransfer(weights));
}

/** The engine loaded over `channel`, as the page uses it. */
function clientOver(
  channel: PageChannel,
  runs: Map<number, StylizeCallbacks>,
  ready: EngineReady,
  thread: EngineThread,
  close: () => void,
): EngineClient {
  let disposed = false;
  let nextRun = 1;
  return {
    ...ready,
    thread,
    async stylize(request, callbacks = {}) {
      if (disposed) throw new Error('this engine was disposed');
      const run = nextRun++;
      const cancel = () => channel.emit('cancel', { run });
      runs.set(run, callbacks);
      const answer = channel.request('stylize', { run, request });
      callbacks.signal?.addEventListener('abort', cancel);
      if (callbacks.signal?.aborted) cancel();
      try {
        return await answer;
      } finally {
        runs.delete(run);
        callbacks.signal?.removeEventListener('abort', cancel);
      }
    },
    memory: () => channel.request('memory'),
    dispose() {
      if (disposed) return;
      disposed = true;
      channel.emit('dispose');
      channel.close();
      close();
    },
  };
}
/** Loads the engine over `port` and returns the client; rejects with the engine's own error if loading fails. */
export async function connectEngine(
  port: Port,
  options: EngineClientOptions,
  thread: EngineThread,
  close: () => void,
  /** Lets a worker report that it died: before `ready` the caller falls back; after, pending runs fail. */
  onCrash?: (listener: (reason: string) => void) => void,
  /** Hears of each failure inside a kernel the moment the engine reports it (runtime-faults.ts). */
  onFault?: (fault: RuntimeFault) => void,
): Promise<EngineClient> {
  const channel: PageChannel = createChannel({
    name: ENGINE_CHANNEL,
    version: ENGINE_PROTOCOL_VERSION,
    port,
    checks: ENGINE_TO_PAGE_CHECKS,
    encodeError: toWire,
    decodeError: decodeEngineError,
  });
  const runs = new Map<number, StylizeCallbacks>();
  channel.on('weights-progress', ({ loaded, total }) => options.onWeightsProgress?.(loaded, total));
  channel.on('phase', ({ run, phase }) => runs.get(run)?.onPhase?.(phase));
  channel.on('progress', ({ run, progress }) => runs.get(run)?.onProgress?.(progress));
  channel.on('tile', ({ run, tile }) => runs.get(run)?.onTile?.(tile));
  channel.on('evaluation', ({ run, evaluations }) => runs.get(run)?.onEvaluation?.(evaluations));
  channel.on('fault', (fault) => onFault?.(fault));
  let started = false;
  let crash: Error | undefined;
  onCrash?.((reason) => {
    const details = { crashed: true };
    crash = started
      ? new ImpastoError('backend-failed', `the engine stopped: ${reason}`, details)
      : new WorkerStartError(reason);
    channel.close(crash); // the runs under way fail with it
  });
  try {
    const ready = await load(channel, options);
    started = true;
    return clientOver(channel, runs, ready, thread, close);
  } catch (e) {
    channel.close();
    throw crash ?? e;
  }
}

/** The engine on this thread, over a MessageChannel to the same server a worker runs. */
export function startEngineHere(options: EngineClientOptions, reason: string): Promise<EngineClient> {
  const { port1, port2 } = new MessageChannel();
  const server = serveEngine(messagePort(port1));
  const close = () => {
    server.dispose();
    port1.close();
    port2.close();
  };
  return connectEngine(messagePort(port2), options, { kind: 'main-thread', reason }, close).catch((e: unknown) => {
    close();
    throw e;
  });
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
      messagePort(worker),
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
