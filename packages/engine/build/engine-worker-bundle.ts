/**
 * Build-time (Node): the engine worker (src/browser/engine-worker.ts) bundled as one classic script, for hosts to
 * write next to their page or to inline and start from a blob: URL (`workerFromSource`).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
