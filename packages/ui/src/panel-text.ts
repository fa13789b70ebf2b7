/** The words and numbers the view shows for a state: plain functions, so Node tests read them as a person would. */
import { formatDuration, formatLoss } from '@impasto/engine';
import type { EngineState, PanelState } from './controller.js';

const BACKEND_LABELS: Record<string, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

export const backendLabel = (name: string) => BACKEND_LABELS[name] ?? name;

/** The status line: weights loading, the run's iteration and losses, or how the last run ended. */
export function statusText({ engine, run }: PanelState): string {
  if (run.status === 'running' && run.progress) {
    const p = run.progress;
    return `Iteration ${p.iteration}/${p.iterations} · loss ${formatLoss(p.loss.total)} (content ${formatLoss(p.loss.content)}, style ${formatLoss(p.loss.style)}) · ${formatDuration(p.remainingMs)} left`;
  }
  if (run.status === 'done') return `Done: ${run.iterations} iterations in ${formatDuration(run.elapsedMs)}`;
  if (engine.status === 'loading' && engine.weights) {
    const { loaded, total } = engine.weights;
    return `Loading weights: ${Math.round((100 * loaded) / Math.max(1, total))}%`;
  }
  return '';
}

/** The progress bar, 0–1: weights while they load, then the run's iterations. */
export function progressValue({ engine, run }: PanelState): number {
  if (run.status === 'running' && run.progress) return run.progress.iteration / run.progress.iterations;
  if (run.status === 'done') return 1;
  if (engine.status === 'loading' && engine.weights)
    return engine.weights.total > 0 ? engine.weights.loaded / engine.weights.total : 0;
  return 0;
}

/** Which backend runs, what could not start, and whether the engine had to run on the page's main thread. */
export function backendText(engine: EngineState): string {
  if (engine.status === 'loading') return 'Loading the network…';
  if (engine.status !== 'ready' || !engine.backend) return '';
  const fallback = (engine.unavailable ?? []).map((u) => `${backendLabel(u.name)} unavailable (${u.reason})`);
  const thread =
    engine.thread?.kind === 'main-thread'
      ? ` · on the page's main thread, so the panel may pause during a run (${engine.thread.reason})`
      : '';
  return `Running on ${backendLabel(engine.backend)}${fallback.length ? ` — ${fallback.join('; ')}` : ''}${thread}`;
}
