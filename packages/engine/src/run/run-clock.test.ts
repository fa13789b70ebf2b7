import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunClock, stageBudget, workOf } from './run-clock.js';

const stages = [
  { width: 10, height: 10, iterations: 4 },
  { width: 20, height: 20, iterations: 6 },
  { width: 40, height: 40, iterations: 10 },
];

describe('stageBudget', () => {
  it('gives the iterations a stage left unused to the last stage', () => {
    const next = stageBudget(stages, 0, 1);
    expect(next.map((s) => s.iterations)).toEqual([1, 6, 13]);
  });

  it('leaves the plan as it is when the stage used all its iterations, or is the last', () => {
    expect(stageBudget(stages, 1, 6).map((s) => s.iterations)).toEqual([4, 6, 10]);
    expect(stageBudget(stages, 2, 3).map((s) => s.iterations)).toEqual([4, 6, 10]);
  });
});

describe('RunClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("estimates time left from steady steps, per unit of work (iterations × pixels), to each stage's expected end", () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RunClock(stages);
    vi.advanceTimersByTime(50);
    // Before any step: the first evaluation's time (50 ms for one 10×10 iteration), scaled to the whole plan.
    const total = stages.reduce((n, s) => n + workOf(s, s.iterations), 0);
    const first = stages[0] as (typeof stages)[0];
    expect(clock.remainingAtStart(first)).toBeCloseTo((50 / 100) * total);
    const later = workOf(stages[1] as (typeof stages)[1], 6) + workOf(stages[2] as (typeof stages)[2], 10);
    clock.stepStarts();
    vi.advanceTimersByTime(500); // the first iteration compiles: slow, counted only until a steady one is measured
    expect(clock.stepEnded(first, 1)).toBe(550);
    expect(clock.remainingMs(first, 1, 4)).toBeCloseTo(5 * (300 + later));
    vi.advanceTimersByTime(100); // a steady iteration: 1 ms per unit of work
    clock.stepEnded(first, 2);
    expect(clock.remainingMs(first, 2, 4)).toBeCloseTo(200 + later);
    // Forecast to end after iteration 3 (not its ceiling of 4): one 10×10 iteration less to go.
    expect(clock.remainingMs(first, 2, 3)).toBeCloseTo(100 + later);
    // Past its forecast end the stage adds nothing.
    expect(clock.remainingMs(first, 4, 3)).toBeCloseTo(later);
    // The first stage ended; the plan now expects the second stage to take 3 iterations and the last 12.
    clock.stageEnded([
      first,
      { ...(stages[1] as (typeof stages)[1]), iterations: 3 },
      { width: 40, height: 40, iterations: 12 },
    ]);
    const second = stages[1] as (typeof stages)[1];
    expect(clock.remainingMs(second, 1, 3)).toBeCloseTo(2 * 400 + 12 * 1600);
  });
});
