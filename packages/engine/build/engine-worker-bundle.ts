/**
 * Build-time (Node): the engine worker (src/browser/engine-worker.ts) bundled as one classic script, for hosts to
 * write next to their page or to inline and start from a blob: URL (`workerFromSource`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ORT_WASM_FILES } from '../src/onnx/ort-web-files.js';

export const ENGINE_WORKER_ENTRY = fileURLToPath(new URL('../src/browser/engine-worker.ts', import.meta.url));

export async function bundleEngineWorker(options: { minify?: boolean } = {}): Promise<string> {
  const out = await build({
    entryPoints: [ENGINE_WORKER_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: options.minify ?? true,
    logLevel: 'error',
  });
  const code = out.outputFiles[0]?.text;
  if (!code) throw new Error('esbuild produced no engine worker bundle');
  return code;
}

/**
 * The WebAssembly files the engine loads (ORT_WASM_FILES: ONNX Runtime's binary, and the glue module its threads
 * start from), as installed: hosts serve them in one folder whose URL they pass as `wasmPaths`, or inline them.
 */
export function engineWasmFiles(): { readonly wasm: string; readonly glue: string } {
  const dist = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  return { wasm: path.join(dist, ORT_WASM_FILES.wasm), glue: path.join(dist, ORT_WASM_FILES.glue) };
}
