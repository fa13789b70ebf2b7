import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { readWeightsPathSetting } from './config.js';
import { describeFsError, ImpastoFileError } from './fs-errors.js';

/** The manifest file every weights folder holds (models/README.md: "Output format"). */
export const MANIFEST = 'weights_manifest.json';

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
    throw new ImpastoFileError(
      `impasto.weightsPath is relative (${setting}) but no folder is open; use an absolute path`,
    );
  }
  return vscode.Uri.joinPath(root, setting);
}

/** What to tell a user whose weights are missing, including what to run. */
export function missingWeightsMessage(folder: vscode.Uri): string {
  return (
    `Impasto needs the VGG19 weights (${MANIFEST} and its shards) in ${folder.fsPath}. ` +
    'Get them once with `pnpm models:fetch` in a checkout of Impasto, then run "Impasto: Import Weights Folder…" ' +
    'and pick its models/vgg19 folder, or set impasto.weightsPath to that folder.'
  );
}

export async function hasWeights(folder: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, MANIFEST));
    return true;
  } catch {
    return false;
  }
}

/** The files a manifest names (its shards), checked to be plain names inside the folder. */
export function shardFilesOf(manifestText: string): string[] {
  let groups: unknown;
  try {
    groups = JSON.parse(manifestText);
  } catch (e) {
    throw new ImpastoFileError(`${MANIFEST} is not valid JSON: ${describeFsError(e)}`);
  }
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ImpastoFileError(`${MANIFEST} must be a non-empty list of weight groups`);
  }
  const files = groups.flatMap((g: unknown) => {
    const paths = (g as { paths?: unknown }).paths;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
      throw new ImpastoFileError(`every group in ${MANIFEST} needs a "paths" list of file names`);
    }
    return paths as string[];
  });
  const bad = files.find((f) => f === '' || f.includes('/') || f.includes('\\') || f.startsWith('.'));
  if (bad !== undefined) throw new ImpastoFileError(`${MANIFEST} names a file outside its folder: "${bad}"`);
  return [...new Set(files)];
}

/**
 * Copies a weights folder (manifest + the shards it names) into global storage: into a temporary folder first, then
 * renamed into place, so a failed import leaves the previous weights untouched.
 */
export async function importWeightsFolder(
  source: vscode.Uri,
  globalStorageUri: vscode.Uri,
  onFile?: (done: number, total: number) => void,
): Promise<vscode.Uri> {
  const fs = vscode.workspace.fs;
  let manifest: Uint8Array;
  try {
    manifest = await fs.readFile(vscode.Uri.joinPath(source, MANIFEST));
  } catch (e) {
    throw new ImpastoFileError(`${source.fsPath} has no readable ${MANIFEST}: ${describeFsError(e)}`);
  }
  const shards = shardFilesOf(new TextDecoder().decode(manifest));
  const target = vscode.Uri.joinPath(globalStorageUri, STORED_WEIGHTS);
  const staging = vscode.Uri.joinPath(globalStorageUri, `${STORED_WEIGHTS}.${Date.now()}.part`);
  try {
    await fs.createDirectory(staging);
    const files = [...shards, MANIFEST];
    for (const [i, file] of files.entries()) {
      await fs.copy(vscode.Uri.joinPath(source, file), vscode.Uri.joinPath(staging, file), { overwrite: true });
      onFile?.(i + 1, files.length);
    }
    await fs.rename(staging, target, { overwrite: true });
  } catch (e) {
    await fs.delete(staging, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    throw new ImpastoFileError(`Could not import the weights from ${source.fsPath}: ${describeFsError(e)}`);
  }
  return target;
}
