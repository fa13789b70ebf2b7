/** Node only: VGG19 weights from a folder holding a weights manifest and its shards. */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { weightsMissing } from '../errors.js';
import { type FilesLoadOptions, loadWeightsFromFiles, readWeightsFiles, type WeightsFiles } from '../files.js';
import { WEIGHTS_MANIFEST_FILE, type WeightsPlan } from '../manifest.js';
import type { Vgg19Weights } from '../types.js';

export type DirectoryLoadOptions = FilesLoadOptions;

/** A folder's checked manifest and the raw bytes of every shard it lists. */
export interface WeightsDirectoryContents {
  readonly manifestPath: string;
  readonly plan: WeightsPlan;
  readonly shards: ReadonlyMap<string, Uint8Array>;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** `target` is the weights folder or its manifest file (any `.json`); the folder's files as a file store. */
async function folderFiles(target: string): Promise<WeightsFiles & { manifestPath: string }> {
  const absolute = resolve(target);
  const info = await stat(absolute).catch((error: unknown) => {
    if (isMissing(error)) throw weightsMissing(`weights directory not found: ${absolute}`, absolute);
    throw error;
  });
  const manifestPath = info.isDirectory() ? join(absolute, WEIGHTS_MANIFEST_FILE) : absolute;
  const dir = dirname(manifestPath);
  return {
    manifestPath,
    manifest: basename(manifestPath),
    describe: (path) => join(dir, path),
    read: (path) =>
      readFile(join(dir, path)).then(
        (bytes) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        (error: unknown) => {
          if (isMissing(error)) return undefined;
          throw error;
        },
      ),
  };
}

/** Reads and checks the manifest, then reads every shard it lists (sizes and hashes are checked when assembled). */
export async function readWeightsDirectory(
  target: string,
  options: DirectoryLoadOptions = {},
): Promise<WeightsDirectoryContents> {
  const files = await folderFiles(target);
  return { manifestPath: files.manifestPath, ...(await readWeightsFiles(files, options)) };
}

/** Loads the weights in a folder (or named by its manifest file), with all the manifest's checks. */
export async function loadWeightsFromDirectory(
  target: string,
  options: DirectoryLoadOptions = {},
): Promise<Vgg19Weights> {
  return loadWeightsFromFiles(await folderFiles(target), options);
}
