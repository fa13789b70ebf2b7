import { messageOf } from '@impasto/errors';
import { WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import * as vscode from 'vscode';
import { hasImageExtension, IMAGE_EXTENSIONS } from './image-files.js';
import { readImageFile } from './read-image.js';
import { type ExtensionPaths, openPrepared, requireWeights } from './stylize-session.js';
import { importWeightsFolder } from './weights-location.js';

export const COMMAND_STYLIZE = 'impasto.stylize';
export const COMMAND_IMPORT_WEIGHTS = 'impasto.importWeights';
export const COMMAND_DOWNLOAD_WEIGHTS = 'impasto.downloadWeights';
/** The custom editor ("Open With… > Impasto Preview"). */
export const PREVIEW_VIEW_TYPE = 'impasto.preview';

/** The image in the active editor tab (text, built-in image preview or Impasto's own), if it is one. */
function activeImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input && typeof input === 'object' && 'uri' in input ? input.uri : undefined;
  return uri instanceof vscode.Uri && hasImageExtension(uri.path) ? uri : undefined;
}

async function askForImage(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Stylize',
    title: 'Impasto: pick an image to stylize',
    filters: { Images: IMAGE_EXTENSIONS.map((e) => e.slice(1)) },
  });
  return picked?.[0];
}

/**
 * "Stylize with Impasto…": from the Explorer or editor title (the clicked file), or the palette (the active image,
 * else a file dialog). Checks the file and the weights first, so problems are VS Code messages, then opens the
 * image in Impasto's preview editor.
 */
export async function stylizeCommand(arg: unknown, paths: ExtensionPaths): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : (activeImage() ?? (await askForImage()));
  if (!uri) return;
  let content: Uint8Array;
  try {
    content = await readImageFile(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
    return;
  }
  const weights = await requireWeights(paths);
  if (!weights) return;
  // The preview this opens takes the bytes and the weights folder from here: each is read and checked once.
  await openPrepared(uri, { content, weights }, () =>
    vscode.commands.executeCommand('vscode.openWith', uri, PREVIEW_VIEW_TYPE),
  );
}

/**
 * "Impasto: Import Weights Folder…": checks a weights folder (any the project's tools write) and copies it into
 * storage. From the Explorer's context menu of a folder, that folder; from the palette, a folder dialog.
 */
export async function importWeightsCommand(paths: ExtensionPaths, arg?: unknown): Promise<void> {
  const picked =
    arg instanceof vscode.Uri
      ? [arg]
      : await vscode.window.showOpenDialog({
          canSelectFiles: false,
          canSelectFolders: true,
          canSelectMany: false,
          openLabel: 'Import Weights',
          title: `Impasto: pick the folder holding ${WEIGHTS_MANIFEST_FILE} (e.g. models/vgg19)`,
        });
  const source = picked?.[0];
  if (!source) return;
  let shown = 0;
  try {
    const target = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Impasto: importing the weights' },
      (progress) =>
        importWeightsFolder(source, paths.globalStorageUri, (loaded, total) => {
          const percent = total > 0 ? (100 * loaded) / total : 100;
          progress.report({ increment: percent - shown, message: `${(loaded / 1e6).toFixed(1)} MB checked` });
          shown = percent;
        }),
    );
    const overridden = vscode.workspace.getConfiguration('impasto').get<string>('weightsPath')?.trim();
    void vscode.window.showInformationMessage(
      `Impasto: weights imported into ${target.fsPath}.` +
        (overridden ? ` Note: impasto.weightsPath (${overridden}) is set and takes precedence.` : ''),
    );
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
  }
}
