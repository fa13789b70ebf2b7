import * as vscode from 'vscode';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** Shows the webview's weights download as VS Code's own progress notification, from the first report to end(). */
export class WeightsProgressNotification {
  private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  private shownPercent = 0;
  private latest: { loaded: number; total: number } | undefined;
  private finish: (() => void) | undefined;
  private ended = false;

  update(loaded: number, total: number): void {
    if (this.ended) return;
    this.latest = { loaded, total };
    if (!this.finish) {
      const done = new Promise<void>((resolve) => {
        this.finish = resolve;
      });
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Impasto: loading the VGG19 weights' },
        async (progress) => {
          this.progress = progress;
          this.flush();
          await done;
        },
      );
    }
    this.flush();
  }

  end(): void {
    this.ended = true;
    this.finish?.();
  }

  private flush(): void {
    if (!this.progress || !this.latest) return;
    const { loaded, total } = this.latest;
    this.latest = undefined;
    const percent = total > 0 ? Math.min(100, (100 * loaded) / total) : 0;
    this.progress.report({ increment: percent - this.shownPercent, message: `${mb(loaded)} of ${mb(total)} MB` });
    this.shownPercent = percent;
  }
}
