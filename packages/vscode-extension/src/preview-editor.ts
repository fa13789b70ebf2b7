import type * as vscode from 'vscode';
import { type ExtensionPaths, openStylizeSession } from './stylize-session.js';

/** "Impasto Preview": a read-only custom editor showing the image with the stylize controls. */
export class ImpastoPreviewProvider implements vscode.CustomReadonlyEditorProvider<vscode.CustomDocument> {
  constructor(private readonly paths: ExtensionPaths) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    await openStylizeSession(panel, document.uri, this.paths);
  }
}
