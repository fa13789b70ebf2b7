/** Real image bytes for the extension tests, made with sharp (independent of the code under test). */
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

/** A valid-looking weights folder: a manifest naming two shards. */
export function putWeights(folder: Uri, shards = ['group1-shard1of1', 'group2-shard1of1']): void {
  fake.fs.put(
    Uri.joinPath(folder, 'weights_manifest.json'),
    JSON.stringify(shards.map((p, i) => ({ paths: [p], weights: [{ name: `w${i}`, shape: [1], dtype: 'float32' }] }))),
  );
  for (const s of shards) fake.fs.put(Uri.joinPath(folder, s), new Uint8Array([1, 2, 3, 4]));
}
