/**
 * Which weights the built site serves at weights/: the default-location rule of @impasto/weights ($IMPASTO_WEIGHTS,
 * else the repository's models/vgg19), which must be a folder here; none when models/vgg19 is empty — the page then
 * tells visitors how to provide them.
 */
import path from 'node:path';
import { WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import { isUrl, repoWeightsDir, resolveWeightsLocation, weightsPresent } from '@impasto/weights/node';

export type WeightsSource =
  | { readonly dir: string; readonly origin: string }
  | { readonly dir: undefined; readonly reason: string };

export function resolveSiteWeights(
  env: Record<string, string | undefined>,
  repoWeights: () => string = repoWeightsDir,
): WeightsSource {
  const location = resolveWeightsLocation(undefined, env, repoWeights);
  const origin = env.IMPASTO_WEIGHTS ? 'IMPASTO_WEIGHTS' : 'models/vgg19';
  if (isUrl(location)) {
    throw new Error(
      `IMPASTO_WEIGHTS is a URL (${location}); the web demo copies weights from a folder. Download them into a folder, or serve them yourself at the site's weights/ path.`,
    );
  }
  const dir = path.resolve(location);
  if (weightsPresent(dir)) return { dir, origin };
  if (env.IMPASTO_WEIGHTS) throw new Error(`IMPASTO_WEIGHTS names ${dir}, which holds no ${WEIGHTS_MANIFEST_FILE}`);
  return {
    dir: undefined,
    reason: `${dir} holds no ${WEIGHTS_MANIFEST_FILE} and IMPASTO_WEIGHTS is not set (run \`pnpm models:fetch\`)`,
  };
}
