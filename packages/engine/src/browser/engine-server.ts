/**
 * The engine's end of the channel: loads weights and a backend on `load`, runs `stylize` requests one at a time
 * with progress and previews, cancels on `cancel`. Runs inside the engine worker (engine-worker.ts), or on the
 * page's own thread over a MessageChannel where no worker can start. Every message is checked by the channel
 * first: a malformed one, or one from another protocol version, is turned away (`onRejected`) and the engine
 * goes on serving.
 */
import { type ChannelError, createChannel, type Port, transferring } from '@impasto/channel';
import { fromWire, ImpastoError, toWire } from '@impasto/errors';
import type { Engine } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import { onRuntimeFault } from '../runtime-faults.js';
import { tf } from '../tfjs/tf.js';
import type { BrowserPlan } from './browser-engine.js';
import { encodePng } from './encode.js';
import {
  ENGINE_CHANNEL,
  ENGINE_PROTOCOL_VERSION,
  type EngineLoad,
  type EngineMemory,
  type EngineReady,
  type EngineToPage,
  isWireError,
  PAGE_TO_ENGINE_CHECKS,
  type PageToEngine,
  transferable,
} from './engine-protocol.js';
import { createBrowserSession, planFor } from './session.js';
import { wasmHeapBytes } from './wasm-memory.js';

/** The part of tfjs's engine that says whether a backend runs, and what it holds. */
export interface TfjsEngineState {
  readonly backendName: string | null;
  readonly pendingBackendInit?: unknown;
  memory(): { numBytesInGPUAllocated?: number; numBytesAllocatedInGPU?: number };
}

/**
 * GPU bytes tfjs holds; 0 where no tfjs backend was started (the ort-wasm path): asking its memory then would start
 * its highest-priority backend, or throw while that one is still starting.
 */
export function tfjsGpuBytes(engine: TfjsEngineState): number {
  if (engine.backendName == null || engine.pendingBackendInit != null) return 0;
  const m = engine.memory();
  return m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU ?? 0;
}

/** What this thread's runtimes hold now (see EngineMemory). */
function engineMemory(): EngineMemory {
  return { wasmHeapBytes: wasmHeapBytes(), gpuBytes: tfjsGpuBytes(tf.engine() as unknown as TfjsEngineState) };
}

const readyOf = (e: Engine): EngineReady => ({
  backend: e.backend,
  unavailable: e.unavailable,
  ...(e.software ? { software: e.software } : {}),
  ...(e.threads ? { threads: e.threads } : {}),
  layers: e.layers,
});

/** An error the other side sent, rebuilt; anything else that claims to be one is a bug to report as such. */
export const decodeEngineError = (wire: unknown): Error =>
  isWireError(wire) ? fromWire(wire) : new ImpastoError('internal', `an undecodable error: ${JSON.stringify(wire)}`);

export interface ServeOptions {
  /** The result's PNG (a parameter for tests). */
  readonly encode?: (image: RgbaImage) => Promise<Uint8Array>;
  /** Hears of each message turned away (malformed, unknown, another protocol version). */
  readonly onRejected?: (error: ChannelError) => void;
}

export function serveEngine(port: Port, options: ServeOptions = {}): { dispose(): void } {
  const encode = options.encode ?? encodePng;
  const channel = createChannel<EngineToPage, PageToEngine>({
    name: ENGINE_CHANNEL,
    version: ENGINE_PROTOCOL_VERSION,
    port,
    checks: PAGE_TO_ENGINE_CHECKS,
    encodeError: toWire,
    decodeError: decodeEngineError,
    ...(options.onRejected ? { onRejected: options.onRejected } : {}),
  });
  let engine: Promise<Engine> | null = null;
  /** The compute path starting ahead of the weights (`prepare`); `load` runs on it. */
  let warming: Promise<BrowserPlan> | null = null;
  const runs = new Map<number, AbortController>();

  async function load({ weights, backend, wasmPaths }: EngineLoad): Promise<Engine> {
    const session = await createBrowserSession({
      weights,
      backend,
      ...(wasmPaths ? { wasmPaths } : {}),
      ...(warming ? { plan: warming } : {}),
      onWeightsProgress: (loaded, total) => channel.emit('weights-progress', { loaded, total }),
    });
    return session.engine;
  }

  channel.on('prepare', (m) => {
    warming = planFor(m);
    warming.catch(() => {}); // a failure is reported by load
  });
  channel.handle('load', async (m) => {
    engine = load(m);
    return readyOf(await engine);
  });
  channel.handle('stylize', async ({ run, request }) => {
    const abort = new AbortController();
    runs.set(run, abort);
    try {
      if (!engine) throw new Error('the engine was asked to stylize before it was loaded');
      const result = await (await engine).stylize(request, {
        signal: abort.signal,
        onPhase: (phase) => channel.emit('phase', { run, phase }),
        onTile: (tile) => channel.emit('tile', { run, tile }),
        onEvaluation: (evaluations) => channel.emit('evaluation', { run, evaluations }),
        onProgress: (progress) => channel.emit('progress', { run, progress }, transferable(progress.preview?.data)),
      });
      const png = await encode(result.image);
      return transferring({ result, png }, [...transferable(result.image.data), ...transferable(png)]);
    } finally {
      runs.delete(run);
    }
  });
  channel.on('cancel', ({ run }) => runs.get(run)?.abort());
  channel.handle('memory', engineMemory);

  // A fault may come from deep inside a kernel that never returns: the page hears of it at once.
  const stopFaults = onRuntimeFault((fault) => channel.emit('fault', fault));
  const dispose = () => {
    stopFaults();
    for (const run of runs.values()) run.abort();
    void engine?.then((e) => e.dispose()).catch(() => {});
    engine = null;
    channel.close();
  };
  channel.on('dispose', dispose);
  return { dispose };
}
