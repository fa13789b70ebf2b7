/**
 * Where the weights are by default, in one place: $IMPASTO_WEIGHTS (a folder or a URL), else `models/vgg19` in the
 * repository (what `pnpm models:fetch` writes). The repository is found by walking up from this file to the folder
 * holding pnpm-workspace.yaml, so the rule holds wherever this package sits in the tree.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { weightsMissing } from '../errors.js';
import { WEIGHTS_MANIFEST_FILE } from '../manifest.js';

/** The nearest folder at or above `from` that holds `marker`; undefined at the file system's root. */
export function findUp(from: string, marker: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, marker))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The repository's root (the pnpm workspace), or undefined when this package runs outside it (a bundle). */
export function repositoryRoot(from = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  return findUp(from, 'pnpm-workspace.yaml');
}

/** The repository's models/ folder: where vgg19/ is written and .cache/ keeps the downloaded source file. */
export function modelsDir(root = repositoryRoot()): string {
  if (!root) {
    throw weightsMissing(
      'no Impasto repository (pnpm-workspace.yaml) above @impasto/weights to hold models/',
      'models/',
    );
  }
  return path.join(root, 'models');
}

/** models/vgg19 in the repository. */
export function repoWeightsDir(root = repositoryRoot()): string {
  return path.join(modelsDir(root), 'vgg19');
}

export const WEIGHTS_HELP =
  'Run `pnpm models:fetch` to download and convert the VGG19 weights, or point --weights (or IMPASTO_WEIGHTS) at a folder or URL holding weights_manifest.json.';

/** Where to load weights from: an explicit choice (a flag), then $IMPASTO_WEIGHTS, then models/vgg19. */
export function resolveWeightsLocation(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  fallback: () => string = repoWeightsDir,
): string {
  if (flag) return flag;
  if (env.IMPASTO_WEIGHTS) return env.IMPASTO_WEIGHTS;
  return fallback();
}

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Whether a folder holds a weights manifest (a quick presence test; loading checks everything else). */
export function weightsPresent(dir: string): boolean {
  return existsSync(path.join(dir, WEIGHTS_MANIFEST_FILE));
}
