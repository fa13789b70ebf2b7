import { createEngine, type Engine, type EngineOptions } from '../engine.js';
import type { Vgg19Weights, WeightsProgress } from '../network/weights-types.js';
import { loadWeightsFromUrl } from '../network/weights-url.js';
import { tf } from '../tf.js';
import { useInstalledWasmBinaries } from './wasm-paths.js';
import { loadWeightsFromDirectory } from './weights-dir.js';
import { isUrl } from './weights-location.js';

let configured = false;

/** Node's tfjs set-up, once: the wasm binaries' location, and production mode (no debug checks or banners). */
export function configureTfjsForNode(): void {
  if (configured) return;
  configured = true;
  useInstalledWasmBinaries();
  tf.env().set('PROD', true);
}

/** Loads weights from a directory or an http(s) URL. */
export function loadWeights(
  location: string,
  options: { onProgress?: WeightsProgress; signal?: AbortSignal } = {},
): Promise<Vgg19Weights> {
  return isUrl(location) ? loadWeightsFromUrl(location, options) : loadWeightsFromDirectory(location, options);
}

/** createEngine for Node: tfjs-wasm with the fast conv gradient by default, falling back to cpu. */
export async function createNodeEngine(options: EngineOptions): Promise<Engine> {
  configureTfjsForNode();
  return createEngine(options);
}
