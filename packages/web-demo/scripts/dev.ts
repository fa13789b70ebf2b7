/**
 * `pnpm --filter @impasto/web-demo dev`: builds the page into node_modules/.cache/web-demo-dev/, rebuilds app.js and app.css on every
 * change under src/, and serves it with the site's headers. The weights are served straight from their folder
 * ($IMPASTO_WEIGHTS or models/vgg19) instead of being copied. Reload the page after a change.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { context } from 'esbuild';
import { serverOptions } from './cli-options.js';
import { serveSite } from './server.js';
import { bundleOptions, copyAssets, PACKAGE_DIR } from './site.js';
import { resolveSiteWeights } from './weights-source.js';

// A tool cache, like Vite's: ignored by git and biome, and never mistaken for the built site.
const outDir = path.join(PACKAGE_DIR, 'node_modules/.cache/web-demo-dev');
const { port, host } = serverOptions(process.argv.slice(2), process.env);
const weights = resolveSiteWeights(process.env);

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
await copyAssets(outDir);
const builder = await context({ ...bundleOptions(outDir, false), logLevel: 'info' });
await builder.watch();
const server = await serveSite({
  mounts: { '/': outDir, ...(weights.dir ? { '/weights/': weights.dir } : {}) },
  port,
  host,
});
console.log(`Impasto web demo: ${server.url}/`);
console.log(weights.dir !== undefined ? `weights from ${weights.dir}` : `no weights (${weights.reason})`);
console.log('index.html, _headers and the images are copied once: restart after changing them. Ctrl-C stops.');

process.on('SIGINT', async () => {
  await builder.dispose();
  await server.close();
  process.exit(0);
});
