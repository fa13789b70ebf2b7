import type { StylizeProgress } from '../stylize.js';

/** 83 s -> "1:23", 3725 s -> "1:02:05". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function short(n: number): string {
  return n === 0 ? '0' : n.toExponential(2);
}

/** One line: bar, iteration, loss terms, time left. */
export function progressLine(p: StylizeProgress, width = 24): string {
  const filled = Math.round((p.iteration / p.iterations) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const { total, content, style, tv } = p.loss;
  return `${bar} ${p.iteration}/${p.iterations}  loss ${short(total)} (content ${short(content)}, style ${short(style)}, tv ${short(tv)})  ${formatDuration(p.remainingMs)} left`;
}

/** Redraws in place on a terminal; elsewhere prints a line every 10%. */
export function createProgressBar(stream: NodeJS.WriteStream) {
  let lastDecile = -1;
  return {
    update(p: StylizeProgress) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${progressLine(p)}`);
        return;
      }
      const decile = Math.floor((p.iteration / p.iterations) * 10);
      if (decile !== lastDecile || p.iteration === p.iterations) {
        lastDecile = decile;
        stream.write(`${progressLine(p)}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
