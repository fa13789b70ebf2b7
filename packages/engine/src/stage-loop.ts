/** The optimiser loop of one stylize stage: the starting loss, progress per iteration, cancellation, early end. */
import { cancelledError } from '@impasto/errors';
import type { Evaluation, LossProgram, LossTerms } from './loss-program.js';
import { nextTask } from './next-task.js';
import { createOptimizer } from './optim/index.js';
import type { Objective, Optimizer } from './optim/types.js';
import { equal } from './optim/vector.js';
import type { StylizeOptions } from './options.js';
import { stoppedFalling } from './schedule.js';

/** L-BFGS's first step moves the most-changed pixel channel by this much (0–255 units); the line search adapts it. */
const FIRST_STEP_MAX_MOVE = 8;

/** The memory a run aims at when the options name none (maxMemory: null); the compute paths tile within half. */
export const DEFAULT_MAX_MEMORY = 4 * 1024 ** 3;

/**
 * L-BFGS pairs that fit a quarter of the memory budget: each holds two float32 vectors of the image's size (at
 * 4096x3072, 302 MB a pair). At least 3, at most `lbfgsHistory`.
 */
export function lbfgsHistoryFor(options: StylizeOptions, values: number): number {
  const budget = (options.maxMemory ?? DEFAULT_MAX_MEMORY) / 4;
  return Math.min(options.lbfgsHistory, Math.max(3, Math.floor(budget / (2 * 4 * values))));
}

/** The stage's optimiser, for an image of `values` numbers. */
export function makeOptimizer(options: StylizeOptions, values: number): Optimizer {
  return options.optimizer === 'lbfgs'
    ? createOptimizer('lbfgs', { history: lbfgsHistoryFor(options, values), firstStepMaxMove: FIRST_STEP_MAX_MOVE })
    : createOptimizer('adam', { learningRate: options.learningRate });
}

export interface StageRun {
  readonly program: LossProgram;
  readonly x: Float32Array;
  readonly iterations: number;
  /** End the stage early once its loss stops falling (schedule.ts). */
  readonly stopWhenFlat: boolean;
  readonly signal: AbortSignal | undefined;
  /** Called after each objective evaluation (the starting point's first). */
  readonly evaluated: () => void;
  /** Called once with the loss of the starting point, before any step. */
  readonly started: (terms: LossTerms) => void;
  /** Called after each iteration with its terms; returns nothing. */
  readonly after: (i: number, terms: LossTerms, converged: boolean) => void;
}

/**
 * The optimiser loop of one stage, in place on `x`. The starting point is evaluated first (for its loss) and that
 * evaluation is handed to the optimiser's first call, so it costs nothing extra. Returns the iterations run and
 * whether the optimiser converged (could make no more progress).
 */
export async function optimiseStage(
  run: StageRun,
  optimizer: Optimizer,
): Promise<{ readonly iterations: number; readonly converged: boolean }> {
  const { program, x, signal } = run;
  /** The terms of every point evaluated during the current step: the accepted one is among them. */
  let evaluatedTerms: LossTerms[] = [];
  const evaluate = async (point: Float32Array) => {
    if (signal?.aborted) throw cancelledError(signal);
    const value = await program.evaluate(point);
    run.evaluated();
    return value;
  };
  const startX = x.slice();
  let startValue: Evaluation | null = await evaluate(x);
  run.started(startValue.terms);
  const objective: Objective = async (point) => {
    const cached = startValue && equal(point, startX) ? startValue : null;
    startValue = null;
    const { terms, gradient } = cached ?? (await evaluate(point));
    evaluatedTerms.push(terms);
    return { loss: terms.total, gradient };
  };
  const losses: number[] = [];
  for (let i = 1; i <= run.iterations; i++) {
    evaluatedTerms = [];
    const step = await optimizer.step(x, objective);
    // On wasm and cpu every await above resolves at once: give the event loop a turn so a page can repaint and
    // a Cancel click (or Ctrl-C) can reach the signal before the next iteration.
    await nextTask();
    if (signal?.aborted) throw cancelledError(signal);
    // A line search's last probe may be a rejected one: report the terms of the point the step accepted.
    const accepted = [...evaluatedTerms].reverse().find((t) => t.total === step.loss);
    run.after(i, accepted ?? { total: step.loss, content: 0, style: 0, tv: 0 }, step.converged);
    losses.push(step.loss);
    if (step.converged || (run.stopWhenFlat && stoppedFalling(losses))) {
      return { iterations: i, converged: step.converged };
    }
  }
  return { iterations: run.iterations, converged: false };
}
