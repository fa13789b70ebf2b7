import { loadWeightsFromUrl, type Vgg19Weights, type WeightsProgress } from '@impasto/weights';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendPreference } from '../backend.js';
import { createEngine, type Engine } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import type { StylizeOptions } from '../options.js';
import type { StylizeCallbacks, StylizeResult, WeightedStyle } from '../stylize.js';
import { encodePng } from './encode.js';

export interface BrowserSessionOptions {
  /** Base URL of a folder holding weights_manifest.json and its shards, or weights already loaded. */
  readonly weights: string | Vgg19Weights;
  readonly backend?: BackendPreference;
  /**
   * Where tfjs-wasm's .wasm files are: a folder URL ending in /, or a URL per file name (e.g. blob: URLs for a
   * page that cannot fetch files); needed only if wasm may run.
   */
  readonly wasmPaths?: string | Record<string, string>;
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

/** Loads the weights (with progress) and starts the best backend. */
export async function createBrowserSession(options: BrowserSessionOptions): Promise<BrowserSession> {
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  const weights =
    typeof options.weights === 'string'
      ? await loadWeightsFromUrl(options.weights, {
          ...(options.onWeightsProgress ? { onProgress: options.onWeightsProgress } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : options.weights;
  const engine = await createEngine({ weights, backend: options.backend ?? 'auto' });
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
