/** A stylization's progress on stderr, drawn with the command lines' one status line (terminal/status-line.ts). */
import type { StylizeProgress, StylizeTileProgress } from '@impasto/engine/node';
import { formatDuration, formatLoss, formatTile } from '@impasto/engine/node';
import { barCells, createStatusLine, type StatusStream } from './terminal/status-line.js';

export { formatDuration };

/** A log (not a terminal) gets a tile line at most this often: one tiled evaluation has dozens of tiles. */
export const TILE_LINE_EVERY_MS = 5000;

const bar = (p: StylizeProgress, width: number) => barCells(p.iteration / p.iterations, width);

/** One line: bar, iteration, evaluations, loss terms, time left. */
export function progressLine(p: StylizeProgress, width = 24): string {
  const { total, content, style, tv } = p.loss;
  const stage =
    p.stage && p.stage.count > 1 ? `  stage ${p.stage.index}/${p.stage.count} ${p.stage.width}x${p.stage.height}` : '';
  return `${bar(p, width)} ${p.iteration}/${p.iterations} (${p.evaluations} evaluations)${stage}  loss ${formatLoss(total)} (content ${formatLoss(content)}, style ${formatLoss(style)}, tv ${formatLoss(tv)})  ${formatDuration(p.remainingMs)} left`;
}

/** "iteration 4/10: tile 5 of 12 (gradient)", "style targets: tile 3 of 20"; the stage when several. */
export function tileLine(t: StylizeTileProgress): string {
  const stage = t.stage.count > 1 ? `stage ${t.stage.index}/${t.stage.count} ` : '';
  const what = t.pass === 'targets' ? 'style targets' : `iteration ${t.iteration}/${t.iterations}`;
  return `${stage}${what}: ${formatTile(t)}`;
}

/** Tile lines for a log: each on its own line, at most one every `everyMs`. */
export function createTileLog(
  stream: Pick<NodeJS.WriteStream, 'write'>,
  everyMs = TILE_LINE_EVERY_MS,
  now: () => number = Date.now,
) {
  let last = Number.NEGATIVE_INFINITY;
  return (t: StylizeTileProgress) => {
    const at = now();
    if (at - last < everyMs) return;
    last = at;
    stream.write(`${tileLine(t)}\n`);
  };
}

/**
 * Redraws in place on a terminal (a tile beside the bar and time left); elsewhere prints a line every 10%, and a
 * tile line at most every TILE_LINE_EVERY_MS.
 */
export function createProgressBar(stream: StatusStream, now: () => number = Date.now) {
  const line = createStatusLine(stream, { now });
  let latest: StylizeProgress | null = null;
  const tileLog = createTileLog(stream, TILE_LINE_EVERY_MS, now);
  return {
    update(p: StylizeProgress) {
      latest = p;
      line.show(progressLine(p), Math.floor((p.iteration / p.iterations) * 10), p.iteration === p.iterations);
    },
    tile(t: StylizeTileProgress) {
      if (!stream.isTTY) return tileLog(t);
      const before = latest
        ? `${bar(latest, 24)} ${latest.iteration}/${latest.iterations}  ${formatDuration(latest.remainingMs)} left  · `
        : '';
      line.show(`${before}${tileLine(t)}`, 0);
    },
    done: line.done,
  };
}
