/**
 * `pnpm --filter @impasto/vscode-extension package`: builds dist/, stages exactly what the extension ships (the
 * manifest, README, the bundles) in out/stage/, and packs it with @vscode/vsce into out/impasto-<version>.vsix.
 * Staging keeps sources and node_modules out by construction; the manifest loses the workspace-only fields (the
 * scoped name, scripts, dependencies), so vsce needs no dependency walk (the API's `dependencies: false`, i.e.
 * `vsce package --no-dependencies`).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVSIX } from '@vscode/vsce';
import { buildExtension, PACKAGE_DIR } from './build.js';

/** The extension's identity in the Marketplace sense (vsce refuses scoped npm names). */
export const EXTENSION_NAME = 'impasto';

/** package.json as VS Code reads it: contributions and entry point, nothing workspace-specific. */
export function extensionManifest(workspaceManifest: Record<string, unknown>): Record<string, unknown> {
  const {
    name: _name,
    private: _p,
    type: _t,
    scripts: _s,
    dependencies: _d,
    devDependencies: _dd,
    ...rest
  } = workspaceManifest;
  return { name: EXTENSION_NAME, ...rest, files: ['dist', 'README.md'] };
}

export async function packageExtension(outDir = path.join(PACKAGE_DIR, 'out')): Promise<string> {
  const stage = path.join(outDir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  await buildExtension(path.join(stage, 'dist'));
  const manifest = extensionManifest(JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')));
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(path.join(PACKAGE_DIR, 'README.md'), path.join(stage, 'README.md'));
  const vsix = path.join(outDir, `${EXTENSION_NAME}-${String(manifest.version)}.vsix`);
  await createVSIX({
    cwd: stage,
    packagePath: vsix,
    dependencies: false,
    allowMissingRepository: true,
    skipLicense: true,
  });
  rmSync(stage, { recursive: true, force: true });
  return vsix;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const vsix = await packageExtension(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`packaged ${path.relative(process.cwd(), vsix)}`);
}
