/**
 * Memory as a budget: whether a loss fits untiled, and how large its tiles may be. The estimate counts the
 * float32 activations of every conv layer the network runs, times a factor per compute path for what a forward and
 * backward pass holds besides (gradients, ReLU masks, the runtime's own buffers); the factors come from measured
 * peaks (see README: high resolution).
 */
import { type ConvLayerName, layersUpTo } from '../network/layers.js';
import { minimumTileSide } from './plan.js';

/** Bytes of one pixel's activations, all conv layers up to the deepest of `layers` (each pooling quarters them). */
export function activationBytesPerPixel(layers: readonly ConvLayerName[]): number {
  let bytes = 0;
  let area = 1;
  for (const layer of layersUpTo(layers)) {
    if (layer.kind === 'pool') area /= 4;
    else bytes += layer.outChannels * 4 * area;
  }
  return bytes;
}

/**
 * Bytes one loss evaluation may hold: the run's `total` less what the optimiser keeps in the same memory
 * (`reserved`, its image-sized vectors), but never under a quarter of the total (tiles smaller still cost far
 * more time than the memory they save: README, high resolution).
 */
export function lossBudget(total: number, reserved: number): number {
  return Math.max(total / 4, total - reserved);
}

export interface TilingChoice {
  /** How many bytes a pass may use (the spec's maxMemory, or the path's default). */
  readonly budget: number;
  /** Multiplier of activationBytesPerPixel for one forward + backward pass on this compute path. */
  readonly passFactor: number;
}

/**
 * The tile side for a `width` x `height` loss over `layers`: null when it fits the budget untiled (and no tile size
 * is forced), else the largest square tile that fits (at least the layers' minimum). `tileSize` forces tiling.
 */
export function chooseTileSide(
  width: number,
  height: number,
  layers: readonly ConvLayerName[],
  choice: TilingChoice & { readonly tileSize?: number | undefined },
): number | null {
  if (layers.length === 0) return null;
  const minimum = minimumTileSide(layers);
  if (choice.tileSize !== undefined) {
    return Math.max(width, height) <= choice.tileSize ? null : Math.max(minimum, choice.tileSize);
  }
  const perPixel = activationBytesPerPixel(layers) * choice.passFactor;
  if (width * height * perPixel <= choice.budget) return null;
  return Math.max(minimum, Math.floor(Math.sqrt(choice.budget / perPixel)));
}

/** How a compute path spends memory: what a run may hold by default, and what one pass holds per activation byte. */
export interface PathMemory {
  /** Bytes a run may hold on this path when its spec names none (maxMemory). */
  readonly defaultBytes: number;
  /** Multiplier of activationBytesPerPixel for one forward + backward pass on this path (measured). */
  readonly passFactor: number;
  /**
   * True where the loss computes in the memory the optimiser's vectors live in (a native process), so it gets what
   * they leave (lossBudget); false where it has a heap of its own (a wasm heap, a GPU).
   */
  readonly sharesOptimizerMemory: boolean;
}

/** The budget and factor for a spec's loss on a path: its maxMemory (or the path's default), less the optimiser's share where they share memory. */
export function pathTiling(
  spec: { readonly maxMemory?: number; readonly reservedMemory?: number },
  memory: PathMemory,
): TilingChoice {
  const total = spec.maxMemory ?? memory.defaultBytes;
  const budget = memory.sharesOptimizerMemory ? lossBudget(total, spec.reservedMemory ?? 0) : total;
  return { budget, passFactor: memory.passFactor };
}
