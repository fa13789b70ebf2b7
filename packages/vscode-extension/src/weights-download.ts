/**
 * "Impasto: Download VGG19 Weights": the same pipeline as `pnpm models:fetch` (@impasto/weights/node), run in the
 * extension host: download the Keras .h5 into global storage (resuming a cut-off download), check its md5, convert
 * conv1_1..conv5_1 to float16 and replace `vgg19/` only once the new folder is written and verified. A failure or a
 * cancel leaves the previous weights in place. Uses Node's file system: global storage is a local folder wherever the
 * extension host runs (desktop, remote, code-server).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isCancellation, isImpastoError, messageOf } from '@impasto/errors';
import { convertKerasFile, type ModelSpec, obtainSourceFile, readModelSpec } from '@impasto/weights/node';
import * as vscode from 'vscode';
import { STORED_WEIGHTS } from './weights-location.js';

/** Folder in global storage where the .h5 (and a cut-off `.part` of it) waits between tries. */
export const DOWNLOAD_CACHE = 'download';

export interface DownloadDependencies {
  /** What to download; default the spec @impasto/weights carries (models' vgg19.json). */
  readonly spec?: ModelSpec;
  readonly fetch?: typeof fetch;
}

/** Words for a failed download, by what went wrong. */
export function downloadFailureMessage(error: unknown): string {
  const text = messageOf(error).split('\n')[0] as string;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC')
    return `Impasto: not enough disk space for the weights (about 110 MB during the download). ${text}`;
  if (isImpastoError(error, 'weights-unreachable')) {
    return `Impasto: could not download the VGG19 weights (offline, or the servers are unreachable); run the command again to resume. ${messageOf(error)}`;
  }
  if (isImpastoError(error, 'bad-weights')) {
    return `Impasto: the downloaded VGG19 weights failed their check (wrong checksum or a damaged file) and were not used. ${messageOf(error)}`;
  }
  return `Impasto: downloading the VGG19 weights failed: ${messageOf(error)}`;
}

/** Runs the pipeline into `<storage>/vgg19`, reporting progress; throws on failure or cancel. */
export async function downloadWeights(
  storage: vscode.Uri,
  report: (message: string, percent: number) => void,
  signal: AbortSignal,
  deps: DownloadDependencies = {},
): Promise<vscode.Uri> {
  if (storage.scheme !== 'file') throw new Error(`global storage (${storage.toString()}) is not a local folder`);
  const spec = deps.spec ?? (await readModelSpec());
  const cacheDir = path.join(storage.fsPath, DOWNLOAD_CACHE);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const source = await obtainSourceFile(spec, {
    cacheDir,
    signal,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    onProgress: (loaded, total) => {
      const size = total ?? spec.source.bytes;
      report(`${mb(loaded)} of ${size ? mb(size) : '?'} MB`, size ? (90 * loaded) / size : 0);
    },
  });
  report('converting to float16', 90);
  const target = vscode.Uri.joinPath(storage, STORED_WEIGHTS);
  await convertKerasFile(source, target.fsPath, spec, {
    dtype: 'float16',
    layers: spec.layers.default,
    writtenBy: 'Impasto for VS Code',
  });
  await rm(cacheDir, { recursive: true, force: true }); // the converted folder is all that is needed now
  report('done', 100);
  return target;
}

/** The command: a cancellable progress notification, then a message saying how it ended. Resolves true on success. */
export async function downloadWeightsCommand(storage: vscode.Uri, deps: DownloadDependencies = {}): Promise<boolean> {
  try {
    const target = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Impasto: downloading the VGG19 weights',
        cancellable: true,
      },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        const report = (message: string, percent: number) => {
          progress.report({ message, increment: Math.max(0, percent - shown) });
          shown = Math.max(shown, percent);
        };
        return downloadWeights(storage, report, controller.signal, deps);
      },
    );
    const overridden = vscode.workspace.getConfiguration('impasto').get<string>('weightsPath')?.trim();
    void vscode.window.showInformationMessage(
      `Impasto: the VGG19 weights are ready in ${target.fsPath}.` +
        (overridden ? ` Note: impasto.weightsPath (${overridden}) is set and takes precedence.` : ''),
    );
    return true;
  } catch (error) {
    if (isCancellation(error)) {
      void vscode.window.showInformationMessage(
        'Impasto: weights download cancelled. Running "Impasto: Download VGG19 Weights" again resumes it.',
      );
    } else {
      void vscode.window.showErrorMessage(downloadFailureMessage(error));
    }
    return false;
  }
}
