/**
 * Builds the static site: the page bundled by esbuild (app.js, app.css), index.html and _headers, ONNX Runtime's
 * WebAssembly files (the binary, and the glue module its threads start from), the project's example images and,
 * when there are any, the weights (checked, then copied).
 */
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_WORKER_ENTRY, engineWasmFiles } from '@impasto/engine/worker-bundle';
import { EXAMPLE_FILES } from '@impasto/examples';
import { assembleWeights, WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import { readWeightsDirectory } from '@impasto/weights/node';
import { type BuildOptions, build } from 'esbuild';

const require = createRequire(import.meta.url);
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLES_DIR = path.dirname(require.resolve('@impasto/examples/package.json'));
export const EXAMPLE_IMAGES = EXAMPLE_FILES;

export interface SiteBuildOptions {
  readonly outDir: string;
  /** A checked weights folder to copy into weights/; undefined for a site without weights. */
  readonly weightsDir?: string;
  readonly minify?: boolean;
}

export interface SiteBuildSummary {
  readonly files: number;
  readonly bytes: number;
  readonly weightsBytes: number;
}

/** esbuild's options for the page and its engine worker (shared by the build and the dev server's watch mode). */
export function bundleOptions(outDir: string, minify: boolean): BuildOptions {
  return {
    entryPoints: { app: path.join(PACKAGE_DIR, 'src/main.ts'), 'engine-worker': ENGINE_WORKER_ENTRY },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: outDir,
    minify,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
  };
}

/** Copies index.html, _headers, the engine's WebAssembly files and the example images (all but the code and weights). */
export async function copyAssets(outDir: string): Promise<void> {
  for (const file of ['index.html', '_headers']) {
    await copyFile(path.join(PACKAGE_DIR, 'static', file), path.join(outDir, file));
  }
  await mkdir(path.join(outDir, 'wasm'), { recursive: true });
  for (const file of Object.values(engineWasmFiles())) {
    await copyFile(file, path.join(outDir, 'wasm', path.basename(file)));
  }
  await mkdir(path.join(outDir, 'examples'), { recursive: true });
  for (const file of EXAMPLE_IMAGES) {
    await copyFile(path.join(EXAMPLES_DIR, file), path.join(outDir, 'examples', file));
  }
}

/**
 * Checks a weights folder with the loader's own checks (manifest, shapes, sizes, SHA-256), so a broken set never
 * ships; returns the files to copy.
 */
export async function checkWeights(dir: string): Promise<string[]> {
  const { plan, shards } = await readWeightsDirectory(dir);
  await assembleWeights(plan, shards);
  return [WEIGHTS_MANIFEST_FILE, ...plan.groups.flatMap((g) => g.paths)];
}

async function copyWeights(dir: string, outDir: string): Promise<number> {
  let bytes = 0;
  for (const file of await checkWeights(dir)) {
    const to = path.join(outDir, 'weights', file);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(path.join(dir, file), to);
    bytes += (await stat(to)).size;
  }
  return bytes;
}

async function folderSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

export async function buildSite(options: SiteBuildOptions): Promise<SiteBuildSummary> {
  const outDir = path.resolve(options.outDir);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build(bundleOptions(outDir, options.minify ?? true));
  await copyAssets(outDir);
  const weightsBytes = options.weightsDir ? await copyWeights(options.weightsDir, outDir) : 0;
  if (!options.weightsDir) {
    await writeFile(
      path.join(outDir, 'weights-missing.txt'),
      'This site was built without weights: see packages/web-demo/README.md (pnpm models:fetch, or IMPASTO_WEIGHTS).\n',
    );
  }
  return { ...(await folderSize(outDir)), weightsBytes };
}
