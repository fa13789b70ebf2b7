import { messageOf } from '@impasto/errors';
import * as vscode from 'vscode';
import { readStylizeDefaults } from './config.js';
import { baseName, IMAGE_EXTENSIONS, resultName } from './image-files.js';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from './protocol.js';
import { readImageFile } from './read-image.js';
import { saveBeside } from './save-result.js';
import {
  EXAMPLE_STYLES,
  EXAMPLES_DIR,
  WASM_DIR,
  WEBVIEW_DIR,
  WEBVIEW_SCRIPT,
  WEBVIEW_STYLE,
} from './webview-assets.js';
import { makeNonce, renderNoticeHtml, renderWebviewHtml } from './webview-html.js';
import { hasWeights, missingWeightsMessage, weightsFolder } from './weights-location.js';
import { WeightsProgressNotification } from './weights-progress.js';

export interface ExtensionPaths {
  readonly extensionUri: vscode.Uri;
  readonly globalStorageUri: vscode.Uri;
}

export const DOWNLOAD_WEIGHTS_ACTION = 'Download Weights';
export const IMPORT_WEIGHTS_ACTION = 'Import Weights Folder…';
export const OPEN_SETTINGS_ACTION = 'Open Settings';

/** Says the weights are missing and what to do; runs the action the user picks. */
export async function showMissingWeights(folder: vscode.Uri): Promise<void> {
  const pick = await vscode.window.showErrorMessage(
    missingWeightsMessage(folder),
    DOWNLOAD_WEIGHTS_ACTION,
    IMPORT_WEIGHTS_ACTION,
    OPEN_SETTINGS_ACTION,
  );
  if (pick === DOWNLOAD_WEIGHTS_ACTION) await vscode.commands.executeCommand('impasto.downloadWeights');
  if (pick === IMPORT_WEIGHTS_ACTION) await vscode.commands.executeCommand('impasto.importWeights');
  if (pick === OPEN_SETTINGS_ACTION) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'impasto.weightsPath');
  }
}

/** The weights folder when it holds a manifest; otherwise says what is missing and returns undefined. */
export async function requireWeights(paths: ExtensionPaths): Promise<vscode.Uri | undefined> {
  let folder: vscode.Uri;
  try {
    folder = weightsFolder(paths.globalStorageUri);
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
    return undefined;
  }
  if (await hasWeights(folder)) return folder;
  void showMissingWeights(folder);
  return undefined;
}

const folderUrl = (webview: vscode.Webview, folder: vscode.Uri) =>
  webview.asWebviewUri(folder).toString().replace(/\/?$/, '/');

/**
 * Puts the stylize page into `panel` for `image` and serves its messages: the image and settings on `ready`, weights
 * progress as a notification, style files through the file dialog, Save beside the original. Returns what to dispose.
 */
export async function openStylizeSession(
  panel: vscode.WebviewPanel,
  image: vscode.Uri,
  paths: ExtensionPaths,
): Promise<vscode.Disposable> {
  const webview = panel.webview;
  const title = `Impasto: ${baseName(image.path)}`;
  const notice = (message: string) => {
    webview.options = { enableScripts: false, localResourceRoots: [] };
    webview.html = renderNoticeHtml(title, message);
    return new vscode.Disposable(() => undefined);
  };
  let content: Uint8Array;
  try {
    content = await readImageFile(image);
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
    return notice(messageOf(e));
  }
  const weights = await requireWeights(paths);
  if (!weights) return notice('The VGG19 weights are missing; see the message for how to get them.');

  const root = vscode.Uri.joinPath(paths.extensionUri, ...WEBVIEW_DIR);
  webview.options = { enableScripts: true, localResourceRoots: [root, weights] };
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, WEBVIEW_SCRIPT)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, WEBVIEW_STYLE)).toString(),
    title,
  });

  const post = (message: HostMessage) => webview.postMessage(message);
  const weightsProgress = new WeightsProgressNotification();

  const handle = async (message: WebviewMessage): Promise<void> => {
    switch (message.type) {
      case 'ready':
        await post({
          type: 'init',
          content: { name: baseName(image.path), bytes: content },
          weightsUrl: folderUrl(webview, weights),
          wasmUrl: folderUrl(webview, vscode.Uri.joinPath(root, WASM_DIR)),
          examples: EXAMPLE_STYLES.map((e) => ({
            name: e.name,
            url: webview.asWebviewUri(vscode.Uri.joinPath(root, EXAMPLES_DIR, e.file)).toString(),
          })),
          defaults: readStylizeDefaults(),
          saveName: resultName(image.path),
        });
        return;
      case 'weightsProgress':
        weightsProgress.update(message.loaded, message.total);
        return;
      case 'weightsLoaded':
        weightsProgress.end();
        return;
      case 'pickStyle':
        await pickStyle(image, post);
        return;
      case 'save':
        await save(image, message, post);
        return;
      case 'error':
        weightsProgress.end();
        void vscode.window.showErrorMessage(`Impasto: ${message.message}`);
        return;
    }
  };

  const listener = webview.onDidReceiveMessage((raw: unknown) => {
    const message = parseWebviewMessage(raw);
    if (message) void handle(message).catch((e) => vscode.window.showErrorMessage(`Impasto: ${messageOf(e)}`));
  });
  const cleanup = new vscode.Disposable(() => {
    listener.dispose();
    weightsProgress.end();
  });
  panel.onDidDispose(() => cleanup.dispose());
  return cleanup;
}

async function pickStyle(image: vscode.Uri, post: (m: HostMessage) => Thenable<boolean>): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use as Style',
    title: 'Impasto: pick a style image',
    defaultUri: image.with({ path: image.path.slice(0, image.path.lastIndexOf('/') + 1) }),
    filters: { Images: IMAGE_EXTENSIONS.map((e) => e.slice(1)) },
  });
  const uri = picked?.[0];
  if (!uri) return;
  try {
    const bytes = await readImageFile(uri);
    await post({ type: 'style', name: baseName(uri.path), bytes });
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
  }
}

async function save(
  image: vscode.Uri,
  message: Extract<WebviewMessage, { type: 'save' }>,
  post: (m: HostMessage) => Thenable<boolean>,
): Promise<void> {
  const reply = (outcome: 'saved' | 'cancelled' | 'failed', text: string) =>
    post({ type: 'saveResult', id: message.id, outcome, message: text });
  try {
    const result = await saveBeside(image, message.png, message);
    if (result.outcome === 'cancelled') {
      await reply('cancelled', 'Not saved: the existing file was kept');
      return;
    }
    await reply('saved', `Saved ${baseName(result.uri.path)}`);
    await vscode.commands.executeCommand('vscode.open', result.uri);
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
    await reply('failed', messageOf(e));
  }
}
