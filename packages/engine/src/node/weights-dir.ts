/** Node only: load VGG19 weights from a directory holding a tfjs weights manifest and its shards. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { assembleWeights } from '../network/weights-assemble.js';
import { WEIGHTS_MANIFEST_FILE } from '../network/weights-encode.js';
import { parseWeightsManifest, type WeightsPlan } from '../network/weights-manifest.js';
import type { Vgg19Weights, WeightsProgress } from '../network/weights-types.js';

export interface DirectoryLoadOptions {
  readonly onProgress?: WeightsProgress;
  readonly signal?: AbortSignal;
}

/** A directory's checked manifest and the raw bytes of every shard it lists. */
export interface WeightsDirectoryContents {
  readonly manifestPath: string;
  readonly plan: WeightsPlan;
  readonly shards: ReadonlyMap<string, Uint8Array>;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function readOrExplain(path: string, whatIsMissing: string, signal?: AbortSignal): Promise<Buffer> {
  try {
    return await readFile(path, { signal });
  } catch (error) {
    if (isMissing(error)) throw new Error(whatIsMissing);
    throw error;
  }
}

/** `target` is the weights directory or its manifest file (any `.json`). */
async function manifestPathOf(target: string): Promise<string> {
  const info = await stat(target).catch((error: unknown) => {
    if (isMissing(error)) throw new Error(`weights directory not found: ${target}`);
    throw error;
  });
  return info.isDirectory() ? join(target, WEIGHTS_MANIFEST_FILE) : target;
}

/** Reads and checks the manifest, then reads every shard it lists (sizes and hashes are checked later). */
export async function readWeightsDirectory(
  target: string,
  options: DirectoryLoadOptions = {},
): Promise<WeightsDirectoryContents> {
  const manifestPath = await manifestPathOf(resolve(target));
  const text = await readOrExplain(manifestPath, `weights manifest not found: ${manifestPath}`, options.signal);
  const plan = parseWeightsManifest(text.toString('utf8'), `weights manifest ${manifestPath}`);
  const shards = new Map<string, Uint8Array>();
  let loaded = 0;
  options.onProgress?.(0, plan.totalBytes);
  for (const path of plan.groups.flatMap((g) => g.paths)) {
    const file = join(dirname(manifestPath), path);
    const bytes = await readOrExplain(
      file,
      `weights shard not found: ${file} (listed in ${manifestPath})`,
      options.signal,
    );
    shards.set(path, bytes);
    loaded += bytes.length;
    options.onProgress?.(Math.min(loaded, plan.totalBytes), plan.totalBytes);
  }
  return { manifestPath, plan, shards };
}

/** Loads the weights in a directory (or named by its manifest file), with all the manifest's checks. */
export async function loadWeightsFromDirectory(
  target: string,
  options: DirectoryLoadOptions = {},
): Promise<Vgg19Weights> {
  const { manifestPath, plan, shards } = await readWeightsDirectory(target, options);
  return assembleWeights(plan, shards, { describePath: (path) => join(dirname(manifestPath), path) });
}
