/**
 * The extension side (Node): commands, the preview editor, file I/O through vscode.workspace.fs (the weights download
 * writes global storage with Node's fs). It never imports tfjs or the engine; the webview (src/webview/) runs the engine.
 */
import * as vscode from 'vscode';
import {
  COMMAND_DOWNLOAD_WEIGHTS,
  COMMAND_IMPORT_WEIGHTS,
  COMMAND_STYLIZE,
  importWeightsCommand,
  PREVIEW_VIEW_TYPE,
  stylizeCommand,
} from './commands.js';
import { ImpastoPreviewProvider } from './preview-editor.js';
import type { ExtensionPaths } from './stylize-session.js';
import { downloadWeightsCommand } from './weights-download.js';

export function activate(context: vscode.ExtensionContext): void {
  const paths: ExtensionPaths = { extensionUri: context.extensionUri, globalStorageUri: context.globalStorageUri };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMAND_STYLIZE, (uri?: unknown) => stylizeCommand(uri, paths)),
    vscode.commands.registerCommand(COMMAND_IMPORT_WEIGHTS, (uri?: unknown) => importWeightsCommand(paths, uri)),
    vscode.commands.registerCommand(COMMAND_DOWNLOAD_WEIGHTS, () => downloadWeightsCommand(paths.globalStorageUri)),
    vscode.window.registerCustomEditorProvider(PREVIEW_VIEW_TYPE, new ImpastoPreviewProvider(paths), {
      // A stylization keeps running while its tab is in the background.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}

export function deactivate(): void {}
