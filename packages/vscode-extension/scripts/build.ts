/**
 * Builds the extension into dist/: the extension bundle (Node, CommonJS, `vscode` external, no tfjs) and the
 * webview folder (engine bundle, stylesheet, ONNX Runtime's .wasm, built-in example styles).
 * `tsx scripts/build.ts [outDir]`; tests call buildExtension(dir).
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEngineWorker, engineWasmFiles } from '@impasto/engine/worker-bundle';
import { build, type Metafile } from 'esbuild';
import {
  EXAMPLE_STYLES,
  EXAMPLES_DIR,
  WASM_DIR,
  WEBVIEW_DIR,
  WEBVIEW_SCRIPT,
  WEBVIEW_STYLE,
  WEBVIEW_WORKER,
} from '../src/webview-assets.js';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Input files of a bundle that come from tfjs or the engine (the extension bundle must have none). */
export function engineInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((f) => /@tensorflow|packages\/engine\//.test(f));
}

export async function buildExtension(distDir = path.join(PACKAGE_DIR, 'dist')): Promise<{ distDir: string }> {
  rmSync(distDir, { recursive: true, force: true });
  const webviewDir = path.join(distDir, ...WEBVIEW_DIR.slice(1));
  const extension = await build({
    entryPoints: [path.join(PACKAGE_DIR, 'src/extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    // ESM dependencies (h5wasm, @impasto/weights) read import.meta.url; in a CommonJS bundle it is the bundle's own.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    outfile: path.join(distDir, 'extension.cjs'),
    metafile: true,
    logLevel: 'error',
  });
  const leaked = engineInputs(extension.metafile);
  if (leaked.length) throw new Error(`the extension bundle must not include the engine or tfjs: ${leaked[0]}`);
  await build({
    entryPoints: [path.join(PACKAGE_DIR, 'src/webview/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    outfile: path.join(webviewDir, WEBVIEW_SCRIPT),
    logLevel: 'error',
  });
  writeFileSync(path.join(webviewDir, WEBVIEW_WORKER), await bundleEngineWorker());
  copyFileSync(path.join(PACKAGE_DIR, 'src/webview/webview.css'), path.join(webviewDir, WEBVIEW_STYLE));

  // Only the binary: without cross-origin isolation the runtime runs one thread, from the glue in the worker bundle.
  const { wasm } = engineWasmFiles();
  mkdirSync(path.join(webviewDir, WASM_DIR), { recursive: true });
  copyFileSync(wasm, path.join(webviewDir, WASM_DIR, path.basename(wasm)));
  const examplesSource = path.dirname(require.resolve('@impasto/examples/package.json'));
  mkdirSync(path.join(webviewDir, EXAMPLES_DIR), { recursive: true });
  for (const { file } of EXAMPLE_STYLES) {
    copyFileSync(path.join(examplesSource, file), path.join(webviewDir, EXAMPLES_DIR, file));
  }
  return { distDir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildExtension(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
}
