/** `pnpm --filter @impasto/web-demo preview`: serves the built dist/ exactly as a static host would. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serverOptions } from './cli-options.js';
import { serveSite } from './server.js';
import { PACKAGE_DIR } from './site.js';

const dist = path.join(PACKAGE_DIR, 'dist');
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error('dist/ has no site yet: run `pnpm --filter @impasto/web-demo build` first');
  process.exit(1);
}
const server = await serveSite({ mounts: { '/': dist }, ...serverOptions(process.argv.slice(2), process.env) });
console.log(`serving ${dist} at ${server.url}/ (Ctrl-C stops)`);
