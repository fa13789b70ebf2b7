/**
 * Weights from a folder picked in a browser (`<input type=file webkitdirectory>`): the manifest is the shallowest
 * weights_manifest.json among the files, and shards are looked up beside it.
 */
import { weightsMissing } from './errors.js';
import { type FilesLoadOptions, loadWeightsFromFiles } from './files.js';
import { WEIGHTS_MANIFEST_FILE } from './manifest.js';
import type { Vgg19Weights } from './types.js';

/** What a picked File offers (a subset, so tests and other hosts can pass plain objects). */
export interface PickedFile {
  readonly name: string;
  readonly webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface PickedWeights {
  /** The folder holding weights_manifest.json, relative to what was picked ('' when it is the picked folder). */
  readonly folder: string;
  readonly load: (options?: FilesLoadOptions) => Promise<Vgg19Weights>;
}

const relativePath = (file: PickedFile) => file.webkitRelativePath || file.name;
const depth = (path: string) => path.split('/').length;

/** Finds the manifest among the picked files; loading reads only the files it lists. */
export function weightsFromPickedFiles(files: readonly PickedFile[]): PickedWeights {
  const manifest = files
    .filter((f) => f.name === WEIGHTS_MANIFEST_FILE)
    .sort((a, b) => depth(relativePath(a)) - depth(relativePath(b)))[0];
  if (!manifest) {
    throw weightsMissing(
      `the chosen folder has no ${WEIGHTS_MANIFEST_FILE}; choose the folder that \`pnpm models:fetch\` writes (models/vgg19)`,
      'picked folder',
    );
  }
  const manifestPath = relativePath(manifest);
  const folder = manifestPath.slice(0, manifestPath.length - WEIGHTS_MANIFEST_FILE.length).replace(/\/$/, '');
  const prefix = folder ? `${folder}/` : '';
  const byPath = new Map(
    files.filter((f) => relativePath(f).startsWith(prefix)).map((f) => [relativePath(f).slice(prefix.length), f]),
  );
  const read = async (path: string) => {
    const file = byPath.get(path);
    return file ? new Uint8Array(await file.arrayBuffer()) : undefined;
  };
  return { folder, load: (options) => loadWeightsFromFiles({ describe: (path) => `${prefix}${path}`, read }, options) };
}
