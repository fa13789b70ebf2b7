import { type Channel, createChannel, type Port } from '@impasto/channel';
import { messageOf } from '@impasto/errors';
import * as vscode from 'vscode';
import { readStylizeDefaults } from './config.js';
import { baseName, IMAGE_EXTENSIONS, resultName } from './image-files.js';
import {
  HOST_CHECKS,
  type HostToWebview,
  type SaveOutcome,
  type SaveRequest,
  WEBVIEW_CHANNEL,
  WEBVIEW_PROTOCOL_VERSION,
  type WebviewToHost,
} from './protocol.js';
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

/** The webview's messages as a channel port: VS Code serializes them (typed arrays arrive intact). */
function webviewPort(webview: vscode.Webview): Port {
  return {
    send: (message) => void webview.postMessage(message),
    listen(receive) {
      const listener = webview.onDidReceiveMessage(receive);
      return () => listener.dispose();
    },
  };
}

/** Images the stylize command has just read, with the weights it found: the session it opens reads neither again. */
const prepared = new Map<string, { readonly content: Uint8Array; readonly weights: vscode.Uri }>();

/**
 * Runs `open` (which opens `image` in Impasto Preview) with the image's bytes and the weights folder already in hand;
 * what a session did not take by the time `open` settles (VS Code showed an editor already open) is dropped.
 */
export async function openPrepared(
  image: vscode.Uri,
  inputs: { readonly content: Uint8Array; readonly weights: vscode.Uri },
  open: () => Thenable<unknown>,
): Promise<void> {
  prepared.set(image.toString(), inputs);
  try {
    await open();
  } finally {
    prepared.delete(image.toString());
  }
}

/** The image's bytes and the weights folder, or a message already shown saying why not. */
async function sessionInputs(image: vscode.Uri, paths: ExtensionPaths) {
  const ready = prepared.get(image.toString());
  prepared.delete(image.toString());
  if (ready) return ready;
  let content: Uint8Array;
  try {
    content = await readImageFile(image);
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
    return { notice: messageOf(e) };
  }
  const weights = await requireWeights(paths);
  if (!weights) return { notice: 'The VGG19 weights are missing; see the message for how to get them.' };
  return { content, weights };
}

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
  const inputs = await sessionInputs(image, paths);
  if ('notice' in inputs) {
    webview.options = { enableScripts: false, localResourceRoots: [] };
    webview.html = renderNoticeHtml(title, inputs.notice);
    return new vscode.Disposable(() => undefined);
  }
  const { content, weights } = inputs;
  const root = vscode.Uri.joinPath(paths.extensionUri, ...WEBVIEW_DIR);
  webview.options = { enableScripts: true, localResourceRoots: [root, weights] };
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, WEBVIEW_SCRIPT)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, WEBVIEW_STYLE)).toString(),
    title,
  });

  const channel: HostChannel = createChannel({
    name: WEBVIEW_CHANNEL,
    version: WEBVIEW_PROTOCOL_VERSION,
    port: webviewPort(webview),
    checks: HOST_CHECKS,
  });
  const weightsProgress = new WeightsProgressNotification();
  const failed = (e: unknown) => void vscode.window.showErrorMessage(`Impasto: ${messageOf(e)}`);
  channel.handle('ready', () => ({
    content: { name: baseName(image.path), bytes: content },
    weightsUrl: folderUrl(webview, weights),
    wasmUrl: folderUrl(webview, vscode.Uri.joinPath(root, WASM_DIR)),
    examples: EXAMPLE_STYLES.map((e) => ({
      name: e.name,
      url: webview.asWebviewUri(vscode.Uri.joinPath(root, EXAMPLES_DIR, e.file)).toString(),
    })),
    defaults: readStylizeDefaults(),
    saveName: resultName(image.path),
  }));
  channel.on('weightsProgress', ({ loaded, total }) => weightsProgress.update(loaded, total));
  channel.on('weightsLoaded', () => weightsProgress.end());
  channel.on('pickStyle', () => pickStyle(image, channel).catch(failed));
  channel.handle('save', (request) => save(image, request));
  channel.on('error', ({ message }) => {
    weightsProgress.end();
    failed(message);
  });

  const cleanup = new vscode.Disposable(() => {
    channel.close();
    weightsProgress.end();
  });
  panel.onDidDispose(() => cleanup.dispose());
  return cleanup;
}

type HostChannel = Channel<HostToWebview, WebviewToHost>;

async function pickStyle(image: vscode.Uri, channel: HostChannel): Promise<void> {
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
    channel.emit('style', { name: baseName(uri.path), bytes });
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
  }
}

async function save(image: vscode.Uri, request: SaveRequest): Promise<SaveOutcome> {
  try {
    const result = await saveBeside(image, request.png, request);
    if (result.outcome === 'cancelled')
      return { outcome: 'cancelled', message: 'Not saved: the existing file was kept' };
    Promise.resolve(vscode.commands.executeCommand('vscode.open', result.uri)).catch((e: unknown) =>
      vscode.window.showErrorMessage(messageOf(e)),
    );
    return { outcome: 'saved', message: `Saved ${baseName(result.uri.path)}` };
  } catch (e) {
    void vscode.window.showErrorMessage(messageOf(e));
    return { outcome: 'failed', message: messageOf(e) };
  }
}
