/**
 * Writes a weights directory all or nothing: files go to a temporary sibling folder, which is checked and
 * then renamed into place. A failure at any step leaves the previous output (or none) untouched.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { EncodedWeights } from '../encode.js';
import { WEIGHTS_MANIFEST_FILE } from '../manifest.js';

/** Removes temporary folders that an earlier, killed run of this writer left beside `outDir`. */
async function removeLeftovers(outDir: string): Promise<void> {
  const prefix = basename(outDir);
  const entries = await readdir(dirname(outDir)).catch(() => [] as string[]);
  for (const entry of entries) {
    if (entry.startsWith(`${prefix}.tmp-`) || entry.startsWith(`${prefix}.old-`)) {
      await rm(join(dirname(outDir), entry), { recursive: true, force: true });
    }
  }
}

/**
 * Writes `encoded` (with `extra` fields added to the manifest) into `outDir`, replacing what was there.
 * `check` runs on the finished temporary folder; if it throws, nothing is replaced.
 */
export async function writeWeightsDirectory(
  outDir: string,
  encoded: EncodedWeights,
  extra: Record<string, unknown>,
  check: (dir: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(outDir), { recursive: true });
  await removeLeftovers(outDir);
  const stamp = `${process.pid}-${Date.now()}`;
  const temp = `${outDir}.tmp-${stamp}`;
  const old = `${outDir}.old-${stamp}`;
  try {
    await mkdir(temp);
    for (const [file, bytes] of encoded.shards) await writeFile(join(temp, file), bytes);
    const manifest = { ...encoded.manifest, ...extra, weightsManifest: encoded.manifest.weightsManifest };
    await writeFile(join(temp, WEIGHTS_MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    await check(temp);
    const hadOutput = await rename(outDir, old).then(
      () => true,
      () => false,
    );
    try {
      await rename(temp, outDir);
    } catch (error) {
      if (hadOutput) await rename(old, outDir);
      throw error;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}
