/** Real image bytes for the extension tests, made with sharp (independent of the code under test). */
import { encodeWeights, WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import { syntheticWeights } from '@impasto/weights/testing';
import sharp from 'sharp';
import { fake, Uri } from './vscode-fake.js';

export const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 80, b: 40, alpha: 1 } } });

export async function pngBytes(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await solid(width, height).png().toBuffer());
}

export async function jpegBytes(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await solid(width, height).jpeg().toBuffer());
}

export const STORAGE = Uri.file('/home/user/.vscode/globalStorage/impasto.impasto');
export const EXTENSION = Uri.file('/ext/impasto');
export const PATHS = { extensionUri: EXTENSION, globalStorageUri: STORAGE };

/** Two real (synthetic) VGG19 layers, encoded as the project's tools write them. */
const ENCODED = await encodeWeights(syntheticWeights(['conv1_1', 'conv1_2'], 3), { dtype: 'float16' });

/**
 * A weights folder: conv1_1 and conv1_2 with SHA-256s, as `pnpm models:fetch` writes it (`{format, weightsManifest}`),
 * or with the manifest as the bare list of groups tfjs's own converter writes.
 */
export function putWeights(folder: Uri, shape: 'object' | 'bare' = 'object'): void {
  const manifest = shape === 'object' ? ENCODED.manifest : ENCODED.manifest.weightsManifest;
  fake.fs.put(Uri.joinPath(folder, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
  for (const [path, bytes] of ENCODED.shards) fake.fs.put(Uri.joinPath(folder, path), bytes);
}
