/**
 * Memory as a budget: whether a loss fits untiled, and how large its tiles may be. The estimate counts the
 * float32 activations of every conv layer the network runs, times a factor per compute path for what a forward and
 * backward pass holds besides (gradients, ReLU masks, the runtime's own buffers); the factors come from measured
 * peaks (see README: high resolution).
 */
import { type ConvLayerName, layersUpTo } from '../network/layers.js';
import { minimumTileSide, planTiles, type TileSpan } from './plan.js';

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
  /** Where tiled passes hold differently (PathMemory.tiles): the budget and factor that size the tiles. */
  readonly tiled?: { readonly budget: number; readonly passFactor: number };
  /**
   * True where every tile shape keeps a pass's memory of its own (ONNX Runtime in Node: a session per shape, each
   * arena holding its peak): the tiles are sized so that all shapes' passes fit the budget together.
   */
  readonly passPerShape?: boolean;
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
  if (width * height * activationBytesPerPixel(layers) * choice.passFactor <= choice.budget) return null;
  const tiles = choice.tiled ?? choice;
  const perPixel = activationBytesPerPixel(layers) * tiles.passFactor;
  let side = Math.max(minimum, Math.floor(Math.sqrt(tiles.budget / perPixel)));
  if (!choice.passPerShape) return side;
  // Each tile shape's sessions keep their own peak: the passes over one tile of every shape must fit together.
  for (let held = shapePixels(width, height, layers, side); held * perPixel > tiles.budget && side > minimum; ) {
    side = Math.max(minimum, Math.floor(side * Math.sqrt(tiles.budget / (held * perPixel))));
    held = shapePixels(width, height, layers, side);
  }
  return side;
}

/** The pixels of one tile of every shape (width x height) in the plan of tiles of at most `side` px. */
export function shapePixels(width: number, height: number, layers: readonly ConvLayerName[], side: number): number {
  const plan = planTiles(width, height, layers, side);
  const lengths = (spans: readonly TileSpan[]) => [...new Set(spans.map((s) => s.end - s.start))];
  let pixels = 0;
  for (const w of lengths(plan.columns)) for (const h of lengths(plan.rows)) pixels += w * h;
  return pixels;
}
