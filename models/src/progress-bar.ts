/** A one-line progress bar on stderr (redrawn on a terminal, a line per 10% otherwise). */
import type { DownloadProgress } from '@impasto/weights/node';

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update: DownloadProgress; done: () => void } {
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  const update: DownloadProgress = (loaded, total) => {
    const fraction = total ? Math.min(loaded / total, 1) : undefined;
    const text =
      fraction === undefined
        ? `${label} ${megabytes(loaded)}`
        : `${label} [${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '-')}] ${Math.floor(fraction * 100)}% ${megabytes(loaded)} of ${megabytes(total as number)}`;
    if (stream.isTTY) {
      const now = Date.now();
      if (now - lastDraw < 100 && fraction !== 1) return;
      lastDraw = now;
      stream.write(`\r${text}\u001b[K`);
      drawn = true;
    } else {
      const decile = fraction === undefined ? Math.floor(loaded / (10 * MB)) : Math.floor(fraction * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`${text}\n`);
    }
  };
  const done = () => {
    if (drawn) stream.write('\n');
    drawn = false;
  };
  return { update, done };
}
