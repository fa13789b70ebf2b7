import { ImpastoError } from '@impasto/errors';
import * as vscode from 'vscode';
import { describeFsError } from './fs-errors.js';
import { baseName, pngSize, resultName } from './image-files.js';

export type SaveOutcome = { outcome: 'saved'; uri: vscode.Uri } | { outcome: 'cancelled' };

/** `<name>.impasto.png` in the original's folder. */
export function resultUriFor(original: vscode.Uri): vscode.Uri {
  const dir = original.path.slice(0, original.path.lastIndexOf('/') + 1);
  return original.with({ path: `${dir}${resultName(original.path)}` });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function removeQuietly(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: false });
  } catch {
    // It may never have been created.
  }
}

/**
 * Saves a stylized PNG beside the original: checks the bytes, asks before replacing an existing result, writes a
 * temporary sibling and renames it into place, so a failure leaves neither a half-written file nor a stray one.
 */
export async function saveBeside(
  original: vscode.Uri,
  png: Uint8Array,
  expected: { width: number; height: number },
): Promise<SaveOutcome> {
  const size = pngSize(png);
  if (!size || size.width !== expected.width || size.height !== expected.height) {
    const got = size ? `${size.width}×${size.height}` : 'not a PNG';
    const message = `The result is not a ${expected.width}×${expected.height} PNG (${got}); nothing saved`;
    throw new ImpastoError('bad-image', message, { role: 'result' });
  }
  const target = resultUriFor(original);
  const name = baseName(target.path);
  if (vscode.workspace.fs.isWritableFileSystem(target.scheme) === false) {
    throw new ImpastoError('io', `Cannot save ${name}: the ${target.scheme} file system is read-only`, {
      path: target.fsPath,
    });
  }
  const replace = await exists(target);
  if (replace) {
    const answer = await vscode.window.showWarningMessage(
      `${name} already exists. Replace it?`,
      { modal: true, detail: 'The stylized image is saved beside the original.' },
      'Replace',
    );
    if (answer !== 'Replace') return { outcome: 'cancelled' };
  }
  const part = target.with({ path: `${target.path.slice(0, -name.length)}.${name}.${Date.now()}.part` });
  try {
    await vscode.workspace.fs.writeFile(part, png);
    await vscode.workspace.fs.rename(part, target, { overwrite: replace });
  } catch (e) {
    await removeQuietly(part);
    const message = `Cannot save ${name} beside ${baseName(original.path)}: ${describeFsError(e)}`;
    throw new ImpastoError('io', message, { path: target.fsPath }, { cause: e });
  }
  return { outcome: 'saved', uri: target };
}
