// The watchdog on a fake clock: allowances follow the run's own measured times per kind of work and per pixel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWatchdog, type Stall } from './watchdog.js';

const options = { floorMs: 60_000, factor: 8, firstMs: 240_000 };

describe('the watchdog', () => {
  let stalls: Stall[];
  beforeEach(() => {
    vi.useFakeTimers();
    stalls = [];
  });
  afterEach(() => vi.useRealTimers());

  const watch = (o = options) => createWatchdog(o, (stall) => stalls.push(stall));

  it('lets work of a kind not yet timed run for firstMs, then calls a stall once', () => {
    const dog = watch();
    dog.beat({ kind: 'targets', pixels: 1000 });
    vi.advanceTimersByTime(239_999);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalls).toEqual([{ kind: 'targets', silentMs: 240_000, expectedMs: undefined, allowedMs: 240_000 }]);
    vi.advanceTimersByTime(10 * 240_000);
    expect(stalls).toHaveLength(1);
  });

  it('allows factor × the time a unit of that kind took, per pixel, never under the floor', () => {
    const dog = watch();
    // Gradient tiles of 1000 px take 20 s each: the next may take 8 × 20 s = 160 s.
    dog.beat({ kind: 'gradient', pixels: 1000 });
    vi.advanceTimersByTime(20_000);
    dog.beat({ kind: 'gradient', pixels: 1000 });
    vi.advanceTimersByTime(20_000);
    dog.beat({ kind: 'gradient', pixels: 1000 });
    vi.advanceTimersByTime(159_999);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalls).toEqual([{ kind: 'gradient', silentMs: 160_000, expectedMs: 20_000, allowedMs: 160_000 }]);
  });

  it('scales the expectation with the pixels of the unit (an edge tile, a larger stage)', () => {
    const dog = watch();
    dog.beat({ kind: 'evaluation', pixels: 10_000 });
    vi.advanceTimersByTime(10_000); // 1 ms a pixel
    dog.beat({ kind: 'evaluation', pixels: 40_000 }); // the next stage: 4× the pixels, 40 s expected, 320 s allowed
    vi.advanceTimersByTime(319_000);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(stalls[0]).toMatchObject({ expectedMs: 40_000, allowedMs: 320_000 });
  });

  it('keeps the slowest rate of each kind, and a quick kind gets the floor', () => {
    const dog = watch();
    dog.beat({ kind: 'evaluation', pixels: 100 });
    vi.advanceTimersByTime(1_000);
    dog.beat({ kind: 'evaluation', pixels: 100 });
    vi.advanceTimersByTime(5_000); // the slowest so far: 50 ms a pixel
    dog.beat({ kind: 'evaluation', pixels: 100 });
    vi.advanceTimersByTime(2_000);
    dog.beat({ kind: 'evaluation', pixels: 100 }); // expected 5 s × 8 = 40 s, under the floor: 60 s
    vi.advanceTimersByTime(59_999);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalls[0]).toMatchObject({ kind: 'evaluation', expectedMs: 5_000, allowedMs: 60_000 });
  });

  it('is silent once stopped, and while beats keep coming', () => {
    const dog = watch();
    for (let i = 0; i < 100; i++) {
      dog.beat({ kind: 'tile', pixels: 1 });
      vi.advanceTimersByTime(30_000);
    }
    dog.stop();
    vi.advanceTimersByTime(3_600_000);
    expect(stalls).toEqual([]);
  });

  it('a kind not yet timed gets firstMs, or more where the run has shown the device is slow', () => {
    const dog = watch();
    // Targets tiles of 1000 px took 60 s each: a device 20× slower than the last test's.
    dog.beat({ kind: 'targets', pixels: 1000 });
    vi.advanceTimersByTime(60_000);
    dog.beat({ kind: 'targets', pixels: 1000 });
    vi.advanceTimersByTime(60_000);
    // The first gradient tile: 8 × 3 × 60 s = 1440 s, more than firstMs.
    dog.beat({ kind: 'gradient', pixels: 1000 });
    vi.advanceTimersByTime(1_439_999);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalls[0]).toMatchObject({ kind: 'gradient', expectedMs: undefined, allowedMs: 1_440_000 });
  });

  it('a first-of-kind allowance is never under the floor', () => {
    const dog = watch({ floorMs: 90_000, factor: 8, firstMs: 1_000 });
    dog.beat({ kind: 'phase:first-iteration', pixels: 1 });
    vi.advanceTimersByTime(89_999);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalls[0]?.allowedMs).toBe(90_000);
  });
});
