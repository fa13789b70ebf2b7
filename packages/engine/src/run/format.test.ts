import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, styleWeightForStrength } from '../options.js';
import { formatDuration, formatLoss, formatTile } from './format.js';

describe('shared formatting and option mappings', () => {
  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(83_000)).toBe('1:23');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
  it('formats losses in three significant digits', () => {
    expect(formatLoss(0)).toBe('0');
    expect(formatLoss(12345)).toBe('1.23e+4');
  });
  it('names a tile, its count and its pass', () => {
    expect(formatTile({ pass: 'style-statistics', tile: 5, tiles: 12 })).toBe('tile 5 of 12 (style statistics)');
    expect(formatTile({ pass: 'targets', tile: 1, tiles: 3 })).toBe('tile 1 of 3');
  });
  it('maps style strength 0–100 to β on a log scale around the default', () => {
    expect(styleWeightForStrength(50)).toBeCloseTo(DEFAULT_OPTIONS.styleWeight, 6);
    expect(styleWeightForStrength(75) / styleWeightForStrength(50)).toBeCloseTo(10, 6);
    expect(styleWeightForStrength(0) / styleWeightForStrength(100)).toBeCloseTo(1e-4, 9);
    expect(() => styleWeightForStrength(101)).toThrow('style strength must be from 0 to 100');
  });
});
