/**
 * The default-location rule lives in @impasto/weights/node; this re-export serves the CLI and bench modules here
 * until they move to packages/cli (then they import @impasto/weights/node themselves and this file goes).
 */
import { repoWeightsDir } from '@impasto/weights/node';

export { isUrl, resolveWeightsLocation, WEIGHTS_HELP, weightsPresent } from '@impasto/weights/node';

/** The repository's models/vgg19, where `pnpm models:fetch` writes the weights. */
export const REPO_WEIGHTS_DIR = repoWeightsDir();
