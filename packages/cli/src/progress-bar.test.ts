import type { StylizeProgress, StylizeTileProgress } from '@impasto/engine/node';
import { describe, expect, it } from 'vitest';
import { createProgressBar, TILE_LINE_EVERY_MS, tileLine } from './progress-bar.js';

const stage = { index: 1, count: 1, width: 4096, height: 3072, iterations: 10 };
const tile = (k: number, pass: StylizeTileProgress['pass'] = 'gradient'): StylizeTileProgress => ({
  stage,
  iteration: 4,
  iterations: 10,
  pass,
  tile: k,
  tiles: 12,
});
const progress: StylizeProgress = {
  iteration: 3,
  iterations: 10,
  loss: { total: 10, content: 1, style: 9, tv: 0 },
  evaluations: 4,
  elapsedMs: 1,
  remainingMs: 90_000,
  stage,
};

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, write: (s: string) => written.push(s) > 0 };
}

describe('tile progress on stderr', () => {
  it('names the iteration under way, the tile of its pass, and the stage when there are several', () => {
    expect(tileLine(tile(5))).toBe('iteration 4/10: tile 5 of 12 (gradient)');
    expect(tileLine(tile(2, 'targets'))).toBe('style targets: tile 2 of 12');
    expect(tileLine({ ...tile(1, 'style-statistics'), stage: { ...stage, index: 2, count: 3 } })).toBe(
      'stage 2/3 iteration 4/10: tile 1 of 12 (style statistics)',
    );
  });

  it('in a log, one tile line at most every few seconds', () => {
    const log = stream(false);
    let now = 0;
    const bar = createProgressBar(log, () => now);
    for (let k = 1; k <= 12; k++) {
      bar.tile(tile(k));
      now += TILE_LINE_EVERY_MS / 2;
    }
    expect(log.written).toEqual([1, 3, 5, 7, 9, 11].map((k) => `iteration 4/10: tile ${k} of 12 (gradient)\n`));
  });

  it('on a terminal, every tile in place, beside the bar and the time left', () => {
    const tty = stream(true);
    const bar = createProgressBar(tty);
    bar.tile(tile(1));
    bar.update(progress);
    bar.tile(tile(2));
    expect(tty.written[0]).toBe('\r\x1b[2Kiteration 4/10: tile 1 of 12 (gradient)');
    const drawn = `${'█'.repeat(7)}${'░'.repeat(17)} 3/10  1:30 left  · iteration 4/10: tile 2 of 12 (gradient)`;
    expect(tty.written[2]).toBe(`\r\x1b[2K${drawn}`);
  });
});
