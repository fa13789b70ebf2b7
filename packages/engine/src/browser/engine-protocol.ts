/**
 * The messages between a page and its engine (a Web Worker, or a MessagePort on the page's own thread): one typed
 * union each way. Errors cross as `WireError` (@impasto/errors); image buffers in results and previews are
 * transferred, not copied.
 */
import type { WireError } from '@impasto/errors';
import type { ComputeBackend, ComputeThreads, Engine } from '../engine.js';
import type { ConvLayerName } from '../network/layers.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import type { StylizePhase, StylizeProgress, StylizeResult, StylizeTileProgress } from '../run/stylize.js';
import type { RuntimeFault } from '../runtime-faults.js';
import type { WasmLocation } from '../wasm-location.js';
import type { BrowserBackendPreference } from './browser-engine.js';
import type { EngineStylizeRequest } from './engine-client.js';

export type ToEngine =
  /** Starts the compute path while the page still loads the weights (sent first; `load` follows). */
  | {
      readonly type: 'prepare';
      readonly backend: BrowserBackendPreference;
      readonly wasmPaths?: WasmLocation;
      readonly ortWasmThreads?: number;
    }
  /** Loads the weights (an absolute URL, or weights already loaded) and starts a backend; answered by ready. */
  | {
      readonly type: 'load';
      readonly weights: string | Vgg19Weights;
      readonly backend: BrowserBackendPreference;
      readonly wasmPaths?: WasmLocation;
    }
  | { readonly type: 'stylize'; readonly id: number; readonly request: EngineStylizeRequest }
  | { readonly type: 'cancel'; readonly id: number }
  /** Asks how much memory the engine's runtimes hold; answered by memory (between runs: a busy engine answers late). */
  | { readonly type: 'memory' }
  | { readonly type: 'dispose' };

/** The memory an engine's runtimes hold: every wasm heap of its thread, and what tfjs counts on a GPU. */
export interface EngineMemory {
  /** Wasm heaps only grow: this is their peak so far. */
  readonly wasmHeapBytes: number;
  /** tfjs's GPU buffers or textures, live and kept for reuse (WebGL, WebGPU); 0 elsewhere. */
  readonly gpuBytes: number;
}

export type FromEngine =
  | { readonly type: 'weights-progress'; readonly loaded: number; readonly total: number }
  | {
      readonly type: 'ready';
      readonly backend: ComputeBackend;
      readonly unavailable: Engine['unavailable'];
      readonly software?: string;
      readonly threads?: ComputeThreads;
      readonly layers: readonly ConvLayerName[];
    }
  | { readonly type: 'load-failed'; readonly error: WireError }
  | { readonly type: 'phase'; readonly id: number; readonly phase: StylizePhase }
  | { readonly type: 'progress'; readonly id: number; readonly progress: StylizeProgress }
  /** Only from a tiled run: each tile before it runs. */
  | { readonly type: 'tile'; readonly id: number; readonly tile: StylizeTileProgress }
  /** After each loss-and-gradient evaluation: a heartbeat, so the page can tell a slow run from a hung one. */
  | { readonly type: 'evaluation'; readonly id: number; readonly evaluations: number }
  /** A failure inside a kernel, sent the moment it is seen: the engine may never answer again. */
  | { readonly type: 'fault'; readonly fault: RuntimeFault }
  | ({ readonly type: 'memory' } & EngineMemory)
  | { readonly type: 'done'; readonly id: number; readonly result: StylizeResult; readonly png: Uint8Array }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError };

/** Either end of the channel: a Worker, a worker's global scope, or a MessagePort. */
export interface EngineEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** MessagePorts deliver nothing until started. */
  start?(): void;
}

/** The buffer behind a view, when the view is all of it (so transferring it loses nothing else). */
export function transferable(view: ArrayBufferView | undefined): Transferable[] {
  if (!view || !(view.buffer instanceof ArrayBuffer)) return [];
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? [view.buffer] : [];
}
