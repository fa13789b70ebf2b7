/**
 * `pnpm build`: writes dist/ (manifest.json, code.js, ui.html). Environment: IMPASTO_FIGMA_WEIGHTS_URL (the default
 * weights URL), IMPASTO_FIGMA_ALLOWED_DOMAINS (comma-separated further origins users may set), IMPASTO_FIGMA_PLUGIN_ID.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlugin, DEFAULT_WEIGHTS_URL } from './build.js';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const weightsUrl = process.env.IMPASTO_FIGMA_WEIGHTS_URL || DEFAULT_WEIGHTS_URL;
try {
  const { manifest, sizes } = await buildPlugin({
    outDir,
    weightsUrl,
    extraDomains: (process.env.IMPASTO_FIGMA_ALLOWED_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean),
    ...(process.env.IMPASTO_FIGMA_PLUGIN_ID ? { pluginId: process.env.IMPASTO_FIGMA_PLUGIN_ID } : {}),
  });
  for (const [name, bytes] of Object.entries(sizes)) console.log(`${name.padEnd(14)} ${(bytes / 1024).toFixed(0)} KiB`);
  console.log(`weights from ${weightsUrl} (allowed: ${manifest.networkAccess.allowedDomains.join(', ')})`);
  if (manifest.networkAccess.devAllowedDomains) {
    console.log('development build: set IMPASTO_FIGMA_WEIGHTS_URL to an https address before publishing');
  }
  console.log(
    `import ${path.join(outDir, 'manifest.json')} in Figma: Plugins > Development > Import plugin from manifest`,
  );
} catch (e) {
  console.error(`build failed: ${(e as Error).message}`);
  process.exit(1);
}
