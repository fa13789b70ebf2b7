import type { StylizeProgress } from '@impasto/engine/node';
import { formatDuration, formatLoss } from '@impasto/engine/node';

export { formatDuration };

/** One line: bar, iteration, evaluations, loss terms, time left. */
export function progressLine(p: StylizeProgress, width = 24): string {
  const filled = Math.round((p.iteration / p.iterations) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const { total, content, style, tv } = p.loss;
  const stage =
    p.stage && p.stage.count > 1 ? `  stage ${p.stage.index}/${p.stage.count} ${p.stage.width}x${p.stage.height}` : '';
  return `${bar} ${p.iteration}/${p.iterations} (${p.evaluations} evaluations)${stage}  loss ${formatLoss(total)} (content ${formatLoss(content)}, style ${formatLoss(style)}, tv ${formatLoss(tv)})  ${formatDuration(p.remainingMs)} left`;
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
