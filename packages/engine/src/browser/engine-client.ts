import type { BackendPreference } from '../backend.js';
import type { ComputeBackend } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import type { ConvLayerName } from '../network/layers.js';
import type { Vgg19Weights, WeightsProgress } from '../network/weights-types.js';
import type { StylizeOptions } from '../options.js';
import type { StylizeCallbacks, StylizeResult, WeightedStyle } from '../stylize.js';
import { createBrowserSession } from './session.js';

/** Where an engine runs: in a Web Worker, or on the page's main thread (with why a worker could not start). */
export type EngineThread = { readonly kind: 'worker' } | { readonly kind: 'main-thread'; readonly reason: string };

export interface EngineClientOptions {
  /** Base URL of a folder holding weights_manifest.json and its shards, or weights already loaded. */
  readonly weights: string | Vgg19Weights;
  readonly backend?: BackendPreference;
  /**
   * Where tfjs-wasm's .wasm files are: a folder URL ending in /, or a URL per file name (e.g. blob: URLs); needed
   * only if wasm may run.
   */
  readonly wasmPaths?: string | Record<string, string>;
  readonly onWeightsProgress?: WeightsProgress;
}

export interface EngineStylizeRequest {
  readonly content: RgbaImage;
  readonly styles: readonly WeightedStyle[];
  readonly options: Partial<StylizeOptions>;
}

/** A loaded engine as a browser host uses it, wherever it runs: RGBA in, the result and its PNG out. */
export interface EngineClient {
  readonly backend: ComputeBackend;
  readonly unavailable: readonly { readonly name: string; readonly reason: string }[];
  readonly layers: readonly ConvLayerName[];
  readonly thread: EngineThread;
  stylize(
    request: EngineStylizeRequest,
    callbacks?: StylizeCallbacks,
  ): Promise<{ readonly result: StylizeResult; readonly png: Uint8Array }>;
  dispose(): void;
}

/** The engine on this thread (where no worker can start): the same interface as the worker's client. */
export async function startEngineHere(options: EngineClientOptions, reason: string): Promise<EngineClient> {
  const session = await createBrowserSession(options);
  const { engine } = session;
  return {
    backend: engine.backend,
    unavailable: engine.unavailable,
    layers: engine.layers,
    thread: { kind: 'main-thread', reason },
    stylize: (request, callbacks) => session.stylizeImages(request.content, request.styles, request.options, callbacks),
    dispose: () => session.dispose(),
  };
}
