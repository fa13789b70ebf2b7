import type { ConvLayerName } from '../layers.js';
import type { Vgg19Weights } from '../types.js';

/**
 * readKerasVgg19 (keras-h5.ts), loading h5wasm (the HDF5 C library in WebAssembly: ~3 s to instantiate) on the
 * first call instead of when the package is imported: every CLI run and engine start would pay it otherwise.
 */
export async function readKerasVgg19(path: string, layers: readonly ConvLayerName[]): Promise<Vgg19Weights> {
  const { readKerasVgg19: read } = await import('./keras-h5.js');
  return read(path, layers);
}
