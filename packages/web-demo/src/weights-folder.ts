/**
 * Weights from a folder the visitor picked on their own disk (`<input type=file webkitdirectory>`): the folder's
 * files are served to the engine's own URL loader through a stand-in fetch, so every check the engine makes on
 * downloaded weights (manifest, shapes, sizes, SHA-256) applies to them too.
 */
import { loadWeightsFromUrl } from '@impasto/engine/browser';
import type { WeightsLoader } from '@impasto/ui';
import { MANIFEST_FILE } from './site-weights.js';

export interface PickedWeights {
  /** The folder holding weights_manifest.json, relative to what was picked ('' when it is the picked folder). */
  readonly folder: string;
  readonly load: WeightsLoader;
}

/** An address no request ever leaves for: the stand-in fetch answers it from the picked files. */
const PICKED = 'https://picked-folder.invalid/';

const relativePath = (file: File) => file.webkitRelativePath || file.name;
const depth = (path: string) => path.split('/').length;

/** Finds weights_manifest.json among the picked files (the shallowest, when there are several). */
export function weightsFromPickedFiles(files: readonly File[]): PickedWeights {
  const manifests = files
    .filter((f) => f.name === MANIFEST_FILE)
    .sort((a, b) => depth(relativePath(a)) - depth(relativePath(b)));
  const manifest = manifests[0];
  if (!manifest) {
    throw new Error(
      `the chosen folder has no ${MANIFEST_FILE}; choose the folder that \`pnpm models:fetch\` writes (models/vgg19)`,
    );
  }
  const manifestPath = relativePath(manifest);
  const folder = manifestPath.slice(0, manifestPath.length - MANIFEST_FILE.length).replace(/\/$/, '');
  const prefix = folder ? `${folder}/` : '';
  const byPath = new Map(
    files.filter((f) => relativePath(f).startsWith(prefix)).map((f) => [relativePath(f).slice(prefix.length), f]),
  );
  const shown = (path: string) => `${prefix}${path}`;

  const load: WeightsLoader = async (onProgress) => {
    const missing: string[] = [];
    const pickedFetch = (async (input: RequestInfo | URL) => {
      const path = decodeURIComponent(String(input).slice(PICKED.length));
      const file = byPath.get(path);
      if (file) return new Response(file);
      missing.push(path);
      return new Response(null, { status: 404 });
    }) as typeof fetch;
    try {
      return await loadWeightsFromUrl(PICKED, { fetch: pickedFetch, onProgress });
    } catch (error) {
      if (missing[0]) throw new Error(`${shown(missing[0])} is missing: ${shown(MANIFEST_FILE)} lists it`);
      // The engine names files by URL; name them by their place in the picked folder instead.
      throw new Error((error as Error).message.replaceAll(PICKED, prefix));
    }
  };
  return { folder, load };
}
