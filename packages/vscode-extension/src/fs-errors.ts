import { messageOf } from '@impasto/errors';
import * as vscode from 'vscode';

/** Why a vscode.workspace.fs call failed, in words a user can act on. */
export function describeFsError(error: unknown): string {
  const code = error instanceof vscode.FileSystemError ? error.code : undefined;
  switch (code) {
    case 'FileNotFound':
      return 'it does not exist';
    case 'NoPermissions':
      return 'permission denied (the location is read-only or not yours)';
    case 'FileIsADirectory':
      return 'it is a folder';
    case 'Unavailable':
      return 'the file system is unavailable';
    default:
      return messageOf(error);
  }
}
