/**
 * Weights from a folder the visitor picked on their own disk (`<input type=file webkitdirectory>`), loaded and
 * checked by @impasto/weights (manifest, shapes, sizes, SHA-256), as the panel's weights loader.
 */
import type { WeightsLoader } from '@impasto/ui';
import { weightsFromPickedFiles as pickWeights } from '@impasto/weights';

export interface PickedWeights {
  /** The folder holding weights_manifest.json, relative to what was picked ('' when it is the picked folder). */
  readonly folder: string;
  readonly load: WeightsLoader;
}

/** Finds weights_manifest.json among the picked files (the shallowest, when there are several). */
export function weightsFromPickedFiles(files: readonly File[]): PickedWeights {
  const picked = pickWeights(files);
  return { folder: picked.folder, load: (onProgress) => picked.load({ onProgress }) };
}
