/** `pnpm --filter @impasto/web-demo build`: the static site in dist/. */
import path from 'node:path';
import { buildSite, PACKAGE_DIR } from './site.js';
import { resolveSiteWeights } from './weights-source.js';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

try {
  const weights = resolveSiteWeights(process.env);
  const outDir = path.join(PACKAGE_DIR, 'dist');
  const started = performance.now();
  const summary = await buildSite({ outDir, weightsDir: weights.dir });
  const took = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `built ${path.relative(process.cwd(), outDir) || '.'}: ${summary.files} files, ${megabytes(summary.bytes)} in ${took} s`,
  );
  if (weights.dir !== undefined) {
    console.log(`weights: ${megabytes(summary.weightsBytes)} from ${weights.origin} (${weights.dir})`);
  } else {
    console.warn(`weights: none — ${weights.reason}. The page will ask visitors for a weights folder.`);
  }
} catch (error) {
  console.error(`web-demo build failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
