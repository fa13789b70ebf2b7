/**
 * The one progress display of Impasto's command lines: on a terminal a line redrawn in place, elsewhere (a log, a
 * pipe) a new line each time the step changes (a tenth of the work, say), so logs stay short.
 */
export type StatusStream = Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;

export interface StatusLine {
  /** Shows `text`; off a terminal only when `step` differs from the last shown, or `last` is set. */
  show(text: string, step: number, last?: boolean): void;
  /** Ends a line drawn in place. */
  done(): void;
}

export function createStatusLine(stream: StatusStream, { minRedrawMs = 0, now = Date.now } = {}): StatusLine {
  let lastStep: number | null = null;
  let lastDraw = Number.NEGATIVE_INFINITY;
  return {
    show(text, step, last = false) {
      if (stream.isTTY) {
        if (!last && now() - lastDraw < minRedrawMs) return;
        lastDraw = now();
        stream.write(`\r\x1b[2K${text}`);
        return;
      }
      if (step === lastStep && !last) return;
      lastStep = step;
      stream.write(`${text}\n`);
    },
    done() {
      if (stream.isTTY && lastDraw > Number.NEGATIVE_INFINITY) stream.write('\n');
      lastDraw = Number.NEGATIVE_INFINITY;
    },
  };
}

/** A bar of `width` cells, `fraction` of them filled. */
export function barCells(fraction: number, width: number, full = '█', empty = '░'): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `${full.repeat(filled)}${empty.repeat(width - filled)}`;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** A download's bytes: "label [####----] 40% 3.2 MB of 8.0 MB" (or the bytes so far when the total is unknown). */
export function createDownloadBar(label: string, stream: StatusStream = process.stderr, now = Date.now) {
  const line = createStatusLine(stream, { minRedrawMs: 100, now });
  const update = (loaded: number, total?: number) => {
    if (!total) return line.show(`${label} ${megabytes(loaded)}`, Math.floor(loaded / (10 * MB)));
    const fraction = Math.min(loaded / total, 1);
    const text = `${label} [${barCells(fraction, 30, '#', '-')}] ${Math.floor(fraction * 100)}% ${megabytes(loaded)} of ${megabytes(total)}`;
    line.show(text, Math.floor(fraction * 10), fraction === 1);
  };
  return { update, done: line.done };
}
