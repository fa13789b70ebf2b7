import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's models/vgg19, where `pnpm models:fetch` writes the weights. */
export const REPO_WEIGHTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../models/vgg19');

export const WEIGHTS_HELP =
  'Run `pnpm models:fetch` to download and convert the VGG19 weights, or point --weights (or IMPASTO_WEIGHTS) at a folder or URL holding weights_manifest.json.';

/** Where to load weights from: the flag, then $IMPASTO_WEIGHTS, then models/vgg19 in the repository. */
export function resolveWeightsLocation(flag: string | undefined, env = process.env): string {
  if (flag) return flag;
  if (env.IMPASTO_WEIGHTS) return env.IMPASTO_WEIGHTS;
  return REPO_WEIGHTS_DIR;
}

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export function weightsPresent(dir: string): boolean {
  return existsSync(path.join(dir, 'weights_manifest.json'));
}
