/** pnpm models:fetch [--float32] [--all-layers] [--source file.h5] [--out dir] [--mirror url]... */

import { createDownloadBar, type OptionSpec, optionsUsage, parseCommandLine } from '@impasto/cli/terminal';
import { fetchModel, formatSummary } from '@impasto/weights/node';
import { userPath } from './user-path.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'float32', help: 'store float32 (twice the size) instead of float16' },
  { name: 'all-layers', help: 'keep all 16 conv layers instead of conv1_1..conv5_1' },
  { name: 'source', value: 'FILE', help: 'convert this local copy of the .h5 instead of downloading' },
  { name: 'out', value: 'DIR', help: 'write somewhere other than models/vgg19' },
  { name: 'mirror', value: 'URL', multiple: true, help: 'try this URL first (repeatable)' },
  { name: 'help', help: 'this text' },
];

const HELP = `pnpm models:fetch [options]
Downloads the Keras VGG19 weights (mirrors in models/vgg19.json), checks the md5, and writes
conv1_1..conv5_1 as float16 tfjs weights into models/vgg19/. Does nothing when that is already there.
${optionsUsage(OPTIONS)}`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}\n${HELP}`);
  const bar = createDownloadBar('download');
  const source = values.source as string | undefined;
  const out = values.out as string | undefined;
  const result = await fetchModel({
    dtype: values.float32 ? 'float32' : 'float16',
    allLayers: values['all-layers'] === true,
    ...(source ? { sourceFile: userPath(source) } : {}),
    ...(out ? { outDir: userPath(out) } : {}),
    extraMirrors: (values.mirror as string[] | undefined) ?? [],
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
