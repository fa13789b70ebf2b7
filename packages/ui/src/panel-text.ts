/** The words and numbers the view shows for a state: plain functions, so Node tests read them as a person would. */
import {
  CONV_LAYERS,
  type ConvLayerName,
  formatDuration,
  formatLoss,
  formatTile,
  LAYER_PRESETS,
  type StageInfo,
  type StylizeTileProgress,
} from '@impasto/engine';
import type { EngineState, PanelState } from './controller.js';
import { backendLabel } from './error-words.js';
import { layersFor } from './settings.js';

/** " (stage 2 of 3, 256 px)" for a coarse-to-fine stage; nothing for a single-stage run. */
function stageWords(stage: StageInfo | undefined): string {
  if (!stage || stage.count < 2) return '';
  return ` (stage ${stage.index} of ${stage.count}, ${Math.max(stage.width, stage.height)} px)`;
}

/** "Stage 2 of 3 · 1024 px". */
function stageLine(stage: StageInfo): string {
  return `Stage ${stage.index} of ${stage.count} · ${Math.max(stage.width, stage.height)} px`;
}

/**
 * " · iteration 4, tile 5 of 12 (gradient)" while a tiled image's evaluation runs a tile (without the iteration
 * where the words already name it); nothing untiled.
 */
function tileWords(tile: StylizeTileProgress | undefined, named = false): string {
  if (!tile || tile.pass === 'targets') return '';
  return ` · ${named ? '' : `iteration ${tile.iteration}, `}${formatTile(tile)}`;
}

/** The status line: from the moment Stylize is pressed, what the run is doing; then how it ended. */
export function statusText({ engine, run, checking }: PanelState): string {
  if (checking) return `Reading ${checking}…`;
  if (run.status === 'running') {
    const stage = stageWords(run.stage);
    // A tiled image's targets run in tiles, also once the first iteration was announced.
    if (run.tile?.pass === 'targets') {
      return `Computing the style targets${stage} · ${formatTile(run.tile)}…`;
    }
    switch (run.phase) {
      case 'network':
        if (engine.weights) {
          return `Loading weights: ${Math.round((100 * engine.weights.loaded) / Math.max(1, engine.weights.total))}%`;
        }
        return engine.status === 'ready' ? 'Starting…' : 'Preparing the network…';
      case 'decoding':
        return 'Reading the style images…';
      case 'style-targets':
        return `Computing the style targets${stage}…`;
      case 'first-iteration': {
        // Programs compile in the first tile of each pass; later tiles are as slow as they will stay.
        const compiling = (engine.backend === 'webgl' || engine.backend === 'webgpu') && (run.tile?.tile ?? 1) === 1;
        const why = compiling ? ' — the first is the slowest while the graphics programs compile' : '';
        return `Running the first iteration${stage}${tileWords(run.tile, true)}${why}…`;
      }
      case 'stylizing': {
        const p = run.progress;
        const tile = tileWords(run.tile);
        if (!p) return `Starting the run${stage}${tile}…`;
        // The first step of a run includes one-off costs: time left is said from the second on.
        const left = p.iteration > 1 ? `${formatDuration(p.remainingMs)} left` : 'estimating the time left';
        const iteration = `${p.iteration}/${p.iterations}`;
        // A coarse-to-fine run names its stage and size first: "Stage 2 of 3 · 1024 px · iteration 12/300".
        const where =
          p.stage && p.stage.count > 1 ? `${stageLine(p.stage)} · iteration ${iteration}` : `Iteration ${iteration}`;
        return `${where} · loss ${formatLoss(p.loss.total)} (content ${formatLoss(p.loss.content)}, style ${formatLoss(p.loss.style)}) · ${left}${tile}`;
      }
    }
  }
  if (run.status === 'done') {
    const why = run.stopReason === 'converged' ? ' — the picture stopped changing' : '';
    return `Done: ${run.iterations} iterations in ${formatDuration(run.elapsedMs)}${why}`;
  }
  if (run.status === 'cancelled' && run.partial) return `Stopped at iteration ${run.iteration}`;
  if (engine.status === 'loading' && engine.weights) {
    const { loaded, total } = engine.weights;
    return `Loading weights: ${Math.round((100 * loaded) / Math.max(1, total))}%`;
  }
  return '';
}

/**
 * The progress bar, 0–1: weights while they load, then the run's time so far of its time so far and left (the
 * iterations are a ceiling a run rarely reaches: it stops once its picture stops changing).
 */
export function progressValue({ engine, run }: PanelState): number {
  if (run.status === 'running' && run.progress) {
    const { elapsedMs, remainingMs, iteration, iterations } = run.progress;
    if (iteration <= 1) return iteration / iterations;
    return elapsedMs / Math.max(1, elapsedMs + remainingMs);
  }
  if (run.status === 'done') return 1;
  if (engine.status === 'loading' && engine.weights)
    return engine.weights.total > 0 ? engine.weights.loaded / engine.weights.total : 0;
  return 0;
}

/** Which layer set the weights allow, when it is not the paper's. */
function layerWords(layers: readonly ConvLayerName[] | undefined): string {
  if (!layers || layers.length === 0) return '';
  const set = layersFor(layers);
  if (set === LAYER_PRESETS.paper) return '';
  const deepest = CONV_LAYERS.filter((l) => layers.includes(l)).at(-1);
  return ` · shallow layers (style ${set.styleLayers.join(', ')}; content ${set.contentLayers.join(', ')}): the weights stop at ${deepest}`;
}

/** Which backend runs, why not a better one, which layers the weights allow, and where the engine runs. */
export function backendText(engine: EngineState): string {
  if (engine.status === 'loading') return 'Loading the network…';
  if (engine.status !== 'ready' || !engine.backend) return '';
  const passedOver = (engine.unavailable ?? []).filter((u) => u.software);
  const failed = (engine.unavailable ?? []).filter((u) => !u.software);
  const notes: string[] = [];
  const softwareAdapter = passedOver[0]?.software;
  if (softwareAdapter) {
    notes.push(`this computer's graphics are emulated in software (${softwareAdapter}), where WebAssembly is faster`);
  }
  notes.push(...failed.map((u) => `${backendLabel(u.name)} unavailable (${u.reason})`));
  if (engine.software) {
    notes.push(`emulated in software (${engine.software}): slow here, Auto would choose WebAssembly`);
  }
  const thread =
    engine.thread?.kind === 'main-thread'
      ? ` · on the page's main thread, so the panel may pause during a run (${engine.thread.reason})`
      : '';
  const threads = engine.threads ? `, ${engine.threads.why}` : '';
  return `Running on ${backendLabel(engine.backend)}${threads}${notes.length ? ` — ${notes.join('; ')}` : ''}${layerWords(engine.layers)}${thread}`;
}

export const SIZE_TOO_LARGE = 'too large for this device';

/** What the size menu says beside a size: too large by the memory model (refused), or it ran out of memory here. */
export function sizeNote(size: number, sizes: PanelState['sizes']): string {
  if (size > sizes.largest) return SIZE_TOO_LARGE;
  if (sizes.failed !== null && size >= sizes.failed) return 'did not fit here';
  return '';
}
