import type { TileStep } from '../compute/loss-program.js';

/** 83 000 ms -> "1:23", 3 725 000 ms -> "1:02:05". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A loss value in three significant digits: 0, 1.23e+4. */
export function formatLoss(n: number): string {
  return n === 0 ? '0' : n.toExponential(2);
}

const PASS_WORDS = { 'style-statistics': 'style statistics', gradient: 'gradient', content: 'content' } as const;

/** A tile about to run, as hosts say it: "tile 5 of 12 (gradient)"; a targets tile "tile 3 of 20" (hosts name the targets). */
export function formatTile(step: TileStep): string {
  const where = `tile ${step.tile} of ${step.tiles}`;
  return step.pass === 'targets' ? where : `${where} (${PASS_WORDS[step.pass]})`;
}
