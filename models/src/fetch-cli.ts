/** pnpm models:fetch [--float32] [--all-layers] [--source file.h5] [--out dir] [--mirror url]... */

import { fetchModel, formatSummary } from '@impasto/weights/node';
import { parseArgs, userPath } from './cli-args.js';
import { progressBar } from './progress-bar.js';

const HELP = `pnpm models:fetch [options]
Downloads the Keras VGG19 weights (mirrors in models/vgg19.json), checks the md5, and writes
conv1_1..conv5_1 as float16 tfjs weights into models/vgg19/. Does nothing when that is already there.
  --float32       store float32 (twice the size) instead of float16
  --all-layers    keep all 16 conv layers instead of conv1_1..conv5_1
  --source FILE   convert this local copy of the .h5 instead of downloading
  --out DIR       write somewhere other than models/vgg19
  --mirror URL    try this URL first (repeatable)`;

async function main(): Promise<void> {
  const args = parseArgs(
    process.argv.slice(2),
    ['--float32', '--all-layers', '--help'],
    ['--source', '--out', '--mirror'],
  );
  if (args.flags.has('--help')) {
    console.log(HELP);
    return;
  }
  if (args.positional.length > 0) throw new Error(`unexpected argument ${args.positional[0]}\n${HELP}`);
  const bar = progressBar('download');
  const source = args.values.get('--source')?.[0];
  const out = args.values.get('--out')?.[0];
  const result = await fetchModel({
    dtype: args.flags.has('--float32') ? 'float32' : 'float16',
    allLayers: args.flags.has('--all-layers'),
    ...(source ? { sourceFile: userPath(source) } : {}),
    ...(out ? { outDir: userPath(out) } : {}),
    extraMirrors: args.values.get('--mirror') ?? [],
    onProgress: bar.update,
    log: (line) => {
      bar.done();
      console.error(line);
    },
  });
  bar.done();
  console.log(result.status === 'already present' ? `already present and valid: ${result.dir}` : `wrote ${result.dir}`);
  console.log(formatSummary(result.summary));
}

main().catch((error: Error) => {
  console.error(`\nmodels:fetch failed: ${error.message}`);
  process.exitCode = 1;
});
