import { homedir } from 'node:os';
import { ImpastoError, isImpastoError, messageOf } from '@impasto/errors';
import {
  assembleWeights,
  readWeightsFiles,
  WEIGHTS_MANIFEST_FILE,
  type WeightsFiles,
  type WeightsFilesContents,
} from '@impasto/weights';
import * as vscode from 'vscode';
import { readWeightsPathSetting } from './config.js';
import { describeFsError } from './fs-errors.js';

/** Folder name inside the extension's global storage, where "Import Weights Folder…" copies the weights. */
export const STORED_WEIGHTS = 'vgg19';

/**
 * Where the webview loads the weights from: `impasto.weightsPath` when set (absolute, `~/…`, or relative to the first
 * workspace folder), else `vgg19/` in the extension's global storage (models/README.md, "Where each host finds the
 * weights").
 */
export function weightsFolder(globalStorageUri: vscode.Uri, setting = readWeightsPathSetting()): vscode.Uri {
  if (!setting) return vscode.Uri.joinPath(globalStorageUri, STORED_WEIGHTS);
  if (setting === '~' || setting.startsWith('~/')) return vscode.Uri.file(homedir() + setting.slice(1));
  if (setting.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(setting)) return vscode.Uri.file(setting);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    const message = `impasto.weightsPath is relative (${setting}) but no folder is open; use an absolute path`;
    throw new ImpastoError('bad-option', message, { option: 'impasto.weightsPath' });
  }
  return vscode.Uri.joinPath(root, setting);
}

/** What to tell a user whose weights are missing, including what to run. */
export function missingWeightsMessage(folder: vscode.Uri): string {
  return (
    `Impasto needs the VGG19 weights (${WEIGHTS_MANIFEST_FILE} and its shards) in ${folder.fsPath}. ` +
    'Download them (about 80 MB, converted to 26 MB) with "Impasto: Download VGG19 Weights", or import a folder ' +
    'that `pnpm models:fetch` wrote with "Impasto: Import Weights Folder…", or set impasto.weightsPath to it.'
  );
}

export async function hasWeights(folder: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, WEIGHTS_MANIFEST_FILE));
    return true;
  } catch {
    return false;
  }
}

/** A folder's files through vscode.workspace.fs, for the weights package's loader (absent files read as undefined). */
function folderFiles(folder: vscode.Uri): WeightsFiles {
  return {
    describe: (path) => vscode.Uri.joinPath(folder, path).fsPath,
    read: async (path) => {
      try {
        return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path));
      } catch (e) {
        if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
        const file = vscode.Uri.joinPath(folder, path).fsPath;
        throw new ImpastoError('io', `${file} cannot be read: ${describeFsError(e)}`, { path: file }, { cause: e });
      }
    },
  };
}

/**
 * Copies a weights folder into global storage after checking it exactly as the engine will load it (either manifest
 * shape, every shard present, sizes, SHA-256s, VGG19 shapes): the files are read once, written into a temporary
 * folder, and that is renamed into place, so a refused or failed import leaves the previous weights untouched.
 */
export async function importWeightsFolder(
  source: vscode.Uri,
  globalStorageUri: vscode.Uri,
  onProgress?: (loadedBytes: number, totalBytes: number) => void,
): Promise<vscode.Uri> {
  const fs = vscode.workspace.fs;
  const files = folderFiles(source);
  let contents: WeightsFilesContents;
  try {
    contents = await readWeightsFiles(files, { ...(onProgress ? { onProgress } : {}) });
    await assembleWeights(contents.plan, contents.shards, { describePath: files.describe });
  } catch (e) {
    const hint = isImpastoError(e, 'weights-missing')
      ? '. Pick the folder that `pnpm models:fetch` writes (models/vgg19), or run "Impasto: Download VGG19 Weights".'
      : '';
    const message = `Could not import the weights from ${source.fsPath}: ${messageOf(e)}${hint}`;
    throw new ImpastoError(isImpastoError(e) ? e.code : 'io', message, { path: source.fsPath }, { cause: e });
  }
  const manifest = (await files.read(WEIGHTS_MANIFEST_FILE)) as Uint8Array;
  const target = vscode.Uri.joinPath(globalStorageUri, STORED_WEIGHTS);
  const staging = vscode.Uri.joinPath(globalStorageUri, `${STORED_WEIGHTS}.${Date.now()}.part`);
  try {
    await fs.createDirectory(staging);
    for (const [path, bytes] of contents.shards) await fs.writeFile(vscode.Uri.joinPath(staging, path), bytes);
    await fs.writeFile(vscode.Uri.joinPath(staging, WEIGHTS_MANIFEST_FILE), manifest);
    await fs.rename(staging, target, { overwrite: true });
  } catch (e) {
    await fs.delete(staging, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    const message = `Could not import the weights from ${source.fsPath}: ${describeFsError(e)}`;
    throw new ImpastoError('io', message, { path: source.fsPath }, { cause: e });
  }
  return target;
}
