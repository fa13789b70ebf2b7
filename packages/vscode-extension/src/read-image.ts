import * as vscode from 'vscode';
import { describeFsError, ImpastoFileError } from './fs-errors.js';
import { baseName, hasImageExtension, IMAGE_EXTENSIONS, sniffImageType } from './image-files.js';

/** Reads an image through vscode.workspace.fs; refuses names and bytes that are not PNG, JPEG or WebP. */
export async function readImageFile(uri: vscode.Uri): Promise<Uint8Array> {
  const name = baseName(uri.path);
  if (!hasImageExtension(name)) {
    throw new ImpastoFileError(`${name} is not an image Impasto can stylize (${IMAGE_EXTENSIONS.join(', ')})`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    throw new ImpastoFileError(`Cannot read ${name}: ${describeFsError(e)}`);
  }
  if (!sniffImageType(bytes)) {
    throw new ImpastoFileError(`${name} does not hold a PNG, JPEG or WebP image (${bytes.length} bytes)`);
  }
  // A copy that owns its buffer: VS Code then transfers exactly these bytes to the webview.
  return new Uint8Array(bytes);
}
