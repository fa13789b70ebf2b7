import { loadWeightsFromUrl, type Vgg19Weights, type WeightsProgress } from '@impasto/weights';
import type { Engine } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import type { StylizeOptions } from '../options.js';
import type { StylizeCallbacks, StylizeResult, WeightedStyle } from '../run/stylize.js';
import { announceWasmLocation, type WasmLocation } from '../wasm-location.js';
import {
  type BrowserBackendPreference,
  type BrowserPlan,
  engineFromPlan,
  planBrowserEngine,
} from './browser-engine.js';
import { encodePng } from './encode.js';

export interface BrowserSessionOptions {
  /** Base URL of a folder holding weights_manifest.json and its shards, or weights already loaded. */
  readonly weights: string | Vgg19Weights;
  readonly backend?: BrowserBackendPreference;
  /**
   * Where the .wasm files are (ONNX Runtime's, and tfjs-wasm's where registered): a folder URL ending in /, or a
   * URL per file name (e.g. blob: URLs for a page that cannot fetch files); needed only if WebAssembly may run.
   */
  readonly wasmPaths?: WasmLocation;
  /** ort-wasm's thread count (default: one per core where the page is cross-origin isolated, else one). */
  readonly ortWasmThreads?: number;
  /** The compute path already started (planBrowserEngine, e.g. while the weights downloaded); else started here. */
  readonly plan?: Promise<BrowserPlan>;
  readonly onWeightsProgress?: WeightsProgress;
  readonly signal?: AbortSignal;
}

/** What every browser host does: bytes in, PNG bytes out, with progress and cancellation. */
export interface BrowserSession {
  readonly engine: Engine;
  stylizeImages(
    content: RgbaImage,
    styles: readonly WeightedStyle[],
    options: Partial<StylizeOptions>,
    callbacks?: StylizeCallbacks,
  ): Promise<{ result: StylizeResult; png: Uint8Array }>;
  dispose(): void;
}

/** The compute path these options ask for, started (the .wasm location announced first). */
export function planFor(options: Omit<BrowserSessionOptions, 'weights' | 'plan'>): Promise<BrowserPlan> {
  if (options.wasmPaths) announceWasmLocation(options.wasmPaths);
  return planBrowserEngine({
    backend: options.backend ?? 'auto',
    ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
    ...(options.ortWasmThreads ? { ortWasmThreads: options.ortWasmThreads } : {}),
  });
}

/** Loads the weights (with progress) while the compute path starts, then the engine on it. */
export async function createBrowserSession(options: BrowserSessionOptions): Promise<BrowserSession> {
  const plan = options.plan ?? planFor(options);
  plan.catch(() => {}); // reported below, once the weights are in
  const weights =
    typeof options.weights === 'string'
      ? await loadWeightsFromUrl(options.weights, {
          ...(options.onWeightsProgress ? { onProgress: options.onWeightsProgress } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : options.weights;
  const engine = await engineFromPlan(await plan, weights);
  const stylizeImages: BrowserSession['stylizeImages'] = async (content, styles, opts, callbacks) => {
    const result = await engine.stylize({ content, styles, options: opts }, callbacks);
    return { result, png: await encodePng(result.image) };
  };
  return {
    engine,
    stylizeImages,
    dispose: () => engine.dispose(),
  };
}
