/**
 * Which weights the built site serves at weights/: $IMPASTO_WEIGHTS (a folder), else the repository's
 * models/vgg19 (what `pnpm models:fetch` writes), else none — the page then tells visitors how to provide them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const MANIFEST_FILE = 'weights_manifest.json';

export type WeightsSource =
  | { readonly dir: string; readonly origin: string }
  | { readonly dir: undefined; readonly reason: string };

export function resolveSiteWeights(env: Record<string, string | undefined>, repoWeightsDir: string): WeightsSource {
  const named = env.IMPASTO_WEIGHTS;
  if (named) {
    if (/^https?:\/\//i.test(named)) {
      throw new Error(
        `IMPASTO_WEIGHTS is a URL (${named}); the web demo copies weights from a folder. Download them into a folder, or serve them yourself at the site's weights/ path.`,
      );
    }
    const dir = path.resolve(named);
    if (!existsSync(path.join(dir, MANIFEST_FILE))) {
      throw new Error(`IMPASTO_WEIGHTS names ${dir}, which holds no ${MANIFEST_FILE}`);
    }
    return { dir, origin: 'IMPASTO_WEIGHTS' };
  }
  if (existsSync(path.join(repoWeightsDir, MANIFEST_FILE))) return { dir: repoWeightsDir, origin: 'models/vgg19' };
  return {
    dir: undefined,
    reason: `${repoWeightsDir} holds no ${MANIFEST_FILE} and IMPASTO_WEIGHTS is not set (run \`pnpm models:fetch\`)`,
  };
}

/** The files a (checked) manifest lists, relative to its folder. */
export function shardPathsOf(manifestText: string): string[] {
  const json = JSON.parse(manifestText) as unknown;
  const groups = Array.isArray(json) ? json : (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(groups)) throw new Error(`${MANIFEST_FILE} lists no weight groups`);
  return groups.flatMap((g: { paths?: unknown }) => (Array.isArray(g.paths) ? g.paths.map(String) : []));
}
