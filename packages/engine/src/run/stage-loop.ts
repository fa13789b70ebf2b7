/** The optimiser loop of one stylize stage: the starting loss, progress per iteration, cancellation, early end. */
import { cancelledError } from '@impasto/errors';
import type { Evaluation, LossProgram, LossTerms } from '../compute/loss-program.js';
import { lbfgsHistoryFor, runMemory } from '../memory/optimizer-memory.js';
import { createOptimizer } from '../optim/index.js';
import type { Objective, Optimizer } from '../optim/types.js';
import { equal } from '../optim/vector.js';
import type { StylizeOptions } from '../options.js';
import { nextTask } from './next-task.js';
import { stoppedFalling } from './schedule.js';

/** L-BFGS's first step moves the most-changed pixel channel by this much (0–255 units); the line search adapts it. */
const FIRST_STEP_MAX_MOVE = 8;

/** The stage's optimiser, for an image of `values` numbers. */
export function makeOptimizer(options: StylizeOptions, values: number, memory = runMemory(options)): Optimizer {
  const history = lbfgsHistoryFor(options, values, memory);
  return options.optimizer === 'lbfgs'
    ? createOptimizer('lbfgs', { history, firstStepMaxMove: FIRST_STEP_MAX_MOVE })
    : createOptimizer('adam', { learningRate: options.learningRate });
}

export interface StageRun {
  readonly program: LossProgram;
  readonly x: Float32Array;
  /** The most iterations the stage may take. */
  readonly iterations: number;
  /** End the stage early once its loss falls by less than this over STOP_WINDOW iterations (schedule.ts; 0: never). */
  readonly tolerance: number;
  /** Iterations the stopping rule looks back over (schedule.ts). */
  readonly window: number;
  readonly signal: AbortSignal | undefined;
  /** Called after each objective evaluation (the starting point's first). */
  readonly evaluated: () => void;
  /** Called once with the loss of the starting point, before any step. */
  readonly started: (terms: LossTerms) => void;
  /** Called after each iteration with its terms, and why the stage ends there if it does. */
  readonly after: (i: number, terms: LossTerms, stop: StageStop | null) => void;
}

/**
 * Why a stage ended: 'converged' once its loss stopped falling (or the optimiser could make no more progress),
 * 'iterations' when it took all it was given.
 */
export type StageStop = 'converged' | 'iterations';

/**
 * The optimiser loop of one stage, in place on `x`. The starting point is evaluated first (for its loss) and that
 * evaluation is handed to the optimiser's first call, so it costs nothing extra. Returns the iterations run and
 * why the stage ended.
 */
export async function optimiseStage(
  run: StageRun,
  optimizer: Optimizer,
): Promise<{ readonly iterations: number; readonly stop: StageStop }> {
  const { program, x, signal } = run;
  /** The terms of every point evaluated during the current step: the accepted one is among them. */
  let evaluatedTerms: LossTerms[] = [];
  const evaluate = async (point: Float32Array, gradientInto?: Float32Array) => {
    if (signal?.aborted) throw cancelledError(signal);
    const value = await program.evaluate(point, gradientInto);
    run.evaluated();
    return value;
  };
  const startX = x.slice();
  let startValue: Evaluation | null = await evaluate(x);
  run.started(startValue.terms);
  const objective: Objective = async (point, gradientOut) => {
    const cached = startValue && equal(point, startX) ? startValue : null;
    startValue = null;
    const { terms, gradient } = cached ?? (await evaluate(point, gradientOut));
    evaluatedTerms.push(terms);
    return { loss: terms.total, gradient };
  };
  // On the stage's last iteration a step that evaluates only to report the loss (Adam) skips the gradient pass.
  const evaluateLoss = program.evaluateLoss?.bind(program);
  const finalLoss = evaluateLoss
    ? async (point: Float32Array) => {
        if (signal?.aborted) throw cancelledError(signal);
        const terms = await evaluateLoss(point);
        run.evaluated();
        evaluatedTerms.push(terms);
        return terms.total;
      }
    : undefined;
  const losses: number[] = [];
  for (let i = 1; i <= run.iterations; i++) {
    evaluatedTerms = [];
    const step = await optimizer.step(x, objective, i === run.iterations ? finalLoss : undefined);
    // On wasm and cpu every await above resolves at once: give the event loop a turn so a page can repaint and
    // a Cancel click (or Ctrl-C) can reach the signal before the next iteration.
    await nextTask();
    if (signal?.aborted) throw cancelledError(signal);
    // A line search's last probe may be a rejected one: report the terms of the point the step accepted.
    const accepted = [...evaluatedTerms].reverse().find((t) => t.total === step.loss);
    losses.push(step.loss);
    const stop: StageStop | null =
      step.converged || stoppedFalling(losses, run.tolerance, run.window)
        ? 'converged'
        : i === run.iterations
          ? 'iterations'
          : null;
    run.after(i, accepted ?? { total: step.loss, content: 0, style: 0, tv: 0 }, stop);
    if (stop) return { iterations: i, stop };
  }
  return { iterations: run.iterations, stop: 'iterations' };
}
