/** pnpm models:verify [dir]: dir defaults to $IMPASTO_WEIGHTS, then models/vgg19. */

import { parseCommandLine } from '@impasto/cli/terminal';
import {
  formatSummary,
  isUrl,
  readModelSpec,
  resolveWeightsLocation,
  verifyWeightsDirectory,
} from '@impasto/weights/node';
import { userPath } from './user-path.js';

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), [{ name: 'help', help: 'this text' }]);
  if (values.help) {
    console.log('pnpm models:verify [dir]   (default: $IMPASTO_WEIGHTS, else models/vgg19)');
    return;
  }
  const dir = positionals[0] ? userPath(positionals[0]) : resolveWeightsLocation(undefined);
  if (isUrl(dir)) throw new Error(`models:verify checks a folder; IMPASTO_WEIGHTS is a URL: ${dir}`);
  const summary = await verifyWeightsDirectory(dir, await readModelSpec());
  console.log(`valid: ${dir}`);
  console.log(formatSummary(summary));
}

main().catch((error: Error) => {
  console.error(`models:verify failed: ${error.message}`);
  console.error(
    'Run `pnpm models:fetch` to (re)create models/vgg19, or set IMPASTO_WEIGHTS to a valid weights folder.',
  );
  process.exitCode = 1;
});
