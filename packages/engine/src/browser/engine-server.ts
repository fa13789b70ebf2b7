/**
 * The engine's end of the channel: loads weights and a backend on `load`, runs `stylize` requests one at a time
 * with progress and previews, cancels on `cancel`. Runs inside the engine worker (engine-worker.ts), or on the
 * page's own thread over a MessageChannel where no worker can start.
 */
import { toWire } from '@impasto/errors';
import type { Engine } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import { onRuntimeFault } from '../runtime-faults.js';
import { tf } from '../tfjs/tf.js';
import type { BrowserPlan } from './browser-engine.js';
import { encodePng } from './encode.js';
import {
  type EngineEndpoint,
  type EngineMemory,
  type FromEngine,
  type ToEngine,
  transferable,
} from './engine-protocol.js';
import { createBrowserSession, planFor } from './session.js';
import { wasmHeapBytes } from './wasm-memory.js';

/** What this thread's runtimes hold now (see EngineMemory). */
function engineMemory(): EngineMemory {
  const m = tf.memory() as { numBytesInGPUAllocated?: number; numBytesAllocatedInGPU?: number };
  return { wasmHeapBytes: wasmHeapBytes(), gpuBytes: m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU ?? 0 };
}

export function serveEngine(
  endpoint: EngineEndpoint,
  encode: (image: RgbaImage) => Promise<Uint8Array> = encodePng,
): { dispose(): void } {
  let engine: Promise<Engine> | null = null;
  /** The compute path starting ahead of the weights (`prepare`); `load` runs on it. */
  let warming: Promise<BrowserPlan> | null = null;
  const runs = new Map<number, AbortController>();
  const post = (message: FromEngine, transfer: Transferable[] = []) => endpoint.postMessage(message, transfer);

  async function load({ weights, backend, wasmPaths }: Extract<ToEngine, { type: 'load' }>): Promise<Engine> {
    const session = await createBrowserSession({
      weights,
      backend,
      ...(wasmPaths ? { wasmPaths } : {}),
      ...(warming ? { plan: warming } : {}),
      onWeightsProgress: (loaded, total) => post({ type: 'weights-progress', loaded, total }),
    });
    return session.engine;
  }

  async function stylize({ id, request }: Extract<ToEngine, { type: 'stylize' }>) {
    const run = new AbortController();
    runs.set(id, run);
    try {
      if (!engine) throw new Error('the engine was asked to stylize before it was loaded');
      const e = await engine;
      const result = await e.stylize(request, {
        signal: run.signal,
        onPhase: (phase) => post({ type: 'phase', id, phase }),
        onTile: (tile) => post({ type: 'tile', id, tile }),
        onEvaluation: (evaluations) => post({ type: 'evaluation', id, evaluations }),
        onProgress: (progress) => post({ type: 'progress', id, progress }, transferable(progress.preview?.data)),
      });
      const png = await encode(result.image);
      post({ type: 'done', id, result, png }, [...transferable(result.image.data), ...transferable(png)]);
    } catch (error) {
      post({ type: 'failed', id, error: toWire(error) });
    } finally {
      runs.delete(id);
    }
  }

  // A fault may come from deep inside a kernel that never returns: the page hears of it at once.
  const stopFaults = onRuntimeFault((fault) => post({ type: 'fault', fault }));
  const dispose = () => {
    stopFaults();
    for (const run of runs.values()) run.abort();
    void engine?.then((e) => e.dispose()).catch(() => {});
    engine = null;
    endpoint.removeEventListener('message', listener);
  };

  const listener = (event: MessageEvent) => {
    const m = event.data as ToEngine;
    if (m.type === 'prepare') {
      warming = planFor(m);
      warming.catch(() => {}); // a failure is reported by load
    } else if (m.type === 'load') {
      engine = load(m);
      engine.then(
        (e) =>
          post({
            type: 'ready',
            backend: e.backend,
            unavailable: e.unavailable,
            ...(e.software ? { software: e.software } : {}),
            ...(e.threads ? { threads: e.threads } : {}),
            layers: e.layers,
          }),
        (error: unknown) => post({ type: 'load-failed', error: toWire(error) }),
      );
    } else if (m.type === 'stylize') void stylize(m);
    else if (m.type === 'cancel') runs.get(m.id)?.abort();
    else if (m.type === 'memory') post({ type: 'memory', ...engineMemory() });
    else if (m.type === 'dispose') dispose();
  };
  endpoint.addEventListener('message', listener);
  endpoint.start?.();
  return { dispose };
}
