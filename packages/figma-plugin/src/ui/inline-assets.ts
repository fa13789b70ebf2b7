/**
 * What the UI needs besides the weights, inlined into ui.html (Figma loads one HTML file into an iframe whose
 * origin is null, so there is no folder to serve files from): tfjs-wasm's binary and the example styles, handed
 * to tfjs and the panel as blob: URLs.
 */
import embers from '@impasto/examples/embers.jpg';
import swirls from '@impasto/examples/swirls.jpg';
import waves from '@impasto/examples/waves.jpg';
import type { ExampleStyle } from '@impasto/ui';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';

const blobUrl = (bytes: Uint8Array, type: string) => URL.createObjectURL(new Blob([bytes as BlobPart], { type }));

/**
 * tfjs-wasm's three binaries by name, all the SIMD build: a Figma iframe is not cross-origin isolated, so the
 * threaded build is never chosen, and every browser Figma supports has WebAssembly SIMD. Were it missing, wasm
 * would fail to start and the engine would fall back to plain JavaScript.
 */
export function inlineWasmFiles(): Record<
  'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm',
  string
> {
  const url = blobUrl(wasmSimd, 'application/wasm');
  return {
    'tfjs-backend-wasm.wasm': url,
    'tfjs-backend-wasm-simd.wasm': url,
    'tfjs-backend-wasm-threaded-simd.wasm': url,
  };
}

/** The project's own example styles (@impasto/examples). */
export function inlineExamples(): ExampleStyle[] {
  return [
    { name: 'swirls', url: blobUrl(swirls, 'image/jpeg') },
    { name: 'embers', url: blobUrl(embers, 'image/jpeg') },
    { name: 'waves', url: blobUrl(waves, 'image/jpeg') },
  ];
}
