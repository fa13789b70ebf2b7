import { ImpastoError } from '@impasto/errors';
import * as vscode from 'vscode';
import { describeFsError } from './fs-errors.js';
import { baseName, hasImageExtension, IMAGE_EXTENSIONS, sniffImageType } from './image-files.js';

/** Reads an image through vscode.workspace.fs; refuses names and bytes that are not PNG, JPEG or WebP. */
export async function readImageFile(uri: vscode.Uri): Promise<Uint8Array> {
  const name = baseName(uri.path);
  if (!hasImageExtension(name)) {
    const message = `${name} is not an image Impasto can stylize (${IMAGE_EXTENSIONS.join(', ')})`;
    throw new ImpastoError('bad-image', message, { role: 'content', name });
  }
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    throw new ImpastoError('io', `Cannot read ${name}: ${describeFsError(e)}`, { path: uri.fsPath }, { cause: e });
  }
  if (!sniffImageType(bytes)) {
    const message = `${name} does not hold a PNG, JPEG or WebP image (${bytes.length} bytes)`;
    throw new ImpastoError('bad-image', message, { role: 'content', name });
  }
  // A copy that owns its buffer: VS Code then transfers exactly these bytes to the webview.
  return new Uint8Array(bytes);
}
