/**
 * Weights from any file store that can read a file by its path relative to the manifest's folder: a folder on
 * disk (./node), a folder picked in a browser, VS Code's workspace.fs. The manifest is parsed and checked first;
 * then every shard it lists is read, and the whole set is checked (sizes, SHA-256s, finite values) as it decodes.
 */
import { cancelledError } from '@impasto/errors';
import { assembleWeights } from './assemble.js';
import { badWeights, weightsMissing } from './errors.js';
import { parseWeightsManifest, WEIGHTS_MANIFEST_FILE, type WeightsPlan } from './manifest.js';
import type { Vgg19Weights, WeightsProgress } from './types.js';

export interface WeightsFiles {
  /** How to name a file (relative to the manifest's folder) in messages: a full path, a URL. */
  readonly describe: (path: string) => string;
  /** The file's bytes, or undefined when it does not exist. */
  readonly read: (path: string) => Promise<Uint8Array | undefined>;
  /** The manifest's file name; default weights_manifest.json. */
  readonly manifest?: string;
}

export interface FilesLoadOptions {
  readonly onProgress?: WeightsProgress;
  readonly signal?: AbortSignal;
}

/** A checked manifest and the raw bytes of every shard it lists. */
export interface WeightsFilesContents {
  readonly plan: WeightsPlan;
  readonly shards: ReadonlyMap<string, Uint8Array>;
}

/** Reads and checks the manifest, then reads every shard it lists (sizes and hashes are checked by the assembly). */
export async function readWeightsFiles(
  files: WeightsFiles,
  options: FilesLoadOptions = {},
): Promise<WeightsFilesContents> {
  const manifestFile = files.manifest ?? WEIGHTS_MANIFEST_FILE;
  const manifestName = files.describe(manifestFile);
  const text = await files.read(manifestFile);
  if (!text) throw weightsMissing(`weights manifest not found: ${manifestName}`, manifestName);
  const plan = parseWeightsManifest(new TextDecoder().decode(text), `weights manifest ${manifestName}`);
  const shards = new Map<string, Uint8Array>();
  let loaded = 0;
  options.onProgress?.(0, plan.totalBytes);
  for (const path of plan.groups.flatMap((g) => g.paths)) {
    if (options.signal?.aborted) throw cancelledError(options.signal);
    const bytes = await files.read(path);
    if (!bytes) {
      throw badWeights(`weights shard not found: ${files.describe(path)} (listed in ${manifestName})`, {
        file: files.describe(path),
      });
    }
    shards.set(path, bytes);
    loaded += bytes.length;
    options.onProgress?.(Math.min(loaded, plan.totalBytes), plan.totalBytes);
  }
  return { plan, shards };
}

/** Loads and fully checks the weights a file store holds. */
export async function loadWeightsFromFiles(files: WeightsFiles, options: FilesLoadOptions = {}): Promise<Vgg19Weights> {
  const { plan, shards } = await readWeightsFiles(files, options);
  return assembleWeights(plan, shards, { describePath: files.describe });
}
