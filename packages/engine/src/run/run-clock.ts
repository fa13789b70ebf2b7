/**
 * A run's time left, from measured step times and the work still to do. Work is iterations × pixels, as later
 * (larger) stages cost more per iteration; the first iteration of each stage (slow while a GPU compiles its programs)
 * counts only until steady ones are measured.
 */

/** The size of a stage, as far as the clock cares. */
export interface StageWork {
  readonly width: number;
  readonly height: number;
  readonly iterations: number;
}

/** The work of `iterations` iterations of `stage`. */
export function workOf(stage: StageWork, iterations: number): number {
  return iterations * stage.width * stage.height;
}

function planWork(stages: readonly StageWork[]): number {
  return stages.reduce((n, s) => n + workOf(s, s.iterations), 0);
}

export class RunClock {
  readonly started = Date.now();
  /** Every stage with the iterations it is expected to take (stop-forecast.ts), not its ceiling. */
  private plan: StageWork[];
  /** Stages finished. */
  private done = 0;
  /** Steady step time per unit of work (iterations after each stage's first), and the latest first iteration's. */
  private steadyMs = 0;
  private steadyWork = 0;
  private firstRate = 0;
  private stepStarted = 0;

  constructor(expected: readonly StageWork[]) {
    this.plan = [...expected];
  }

  elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** Nothing done yet: the time left is the first evaluation's time, scaled to the whole plan's work. */
  remainingAtStart(stage: StageWork): number {
    return (this.elapsedMs() / workOf(stage, 1)) * planWork(this.plan);
  }

  /** A stage's first step starts now. */
  stepStarts(): void {
    this.stepStarted = Date.now();
  }

  /** Iteration `i` (1-based) of `stage` just ended: measures it and returns the run's elapsed time. */
  stepEnded(stage: StageWork, i: number): number {
    const now = Date.now();
    const stepRate = (now - this.stepStarted) / workOf(stage, 1);
    this.stepStarted = now;
    if (i === 1) this.firstRate = stepRate;
    else {
      this.steadyMs += stepRate * workOf(stage, 1);
      this.steadyWork += workOf(stage, 1);
    }
    return now - this.started;
  }

  /** Time left once `i` iterations of the current `stage` are done and it is expected to end after `expectedEnd`. */
  remainingMs(stage: StageWork, i: number, expectedEnd: number): number {
    const rate = this.steadyWork > 0 ? this.steadyMs / this.steadyWork : this.firstRate;
    return rate * (workOf(stage, Math.max(0, expectedEnd - i)) + planWork(this.plan.slice(this.done + 1)));
  }

  /** The current stage ended; `expected` is the whole plan as now expected (the stages after it may have changed). */
  stageEnded(expected: readonly StageWork[]): void {
    this.plan = [...expected];
    this.done++;
  }
}

/**
 * The plan after stage `index` (0-based) used `used` of its iterations: those it left unused (it stopped falling,
 * or converged) go to the last stage. The last stage's own budget stays as it is.
 */
export function stageBudget<S extends StageWork>(stages: readonly S[], index: number, used: number): S[] {
  const stage = stages[index] as S;
  const unused = stage.iterations - used;
  if (unused <= 0 || index >= stages.length - 1) return [...stages];
  const lastIndex = stages.length - 1;
  return stages.map((s, k) =>
    k === index ? { ...s, iterations: used } : k === lastIndex ? { ...s, iterations: s.iterations + unused } : s,
  );
}
