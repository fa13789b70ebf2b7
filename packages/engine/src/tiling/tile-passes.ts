/**
 * One evaluation of the tiled loss, pass by pass (tiled-loss-program.ts says why it is exact): pass 1 sums the tiles'
 * Grams, pass 2 sums the tiles' gradients with the seeds D of the global Grams. Where the runner can compute a tile's
 * Grams in its gradient run (gradientWithGrams), pass 1 skips the last tile and pass 2 starts there: one forward
 * pass of a tile less per evaluation.
 */
import type { LossSpec, TilePass } from '../compute/loss-program.js';
import type { StyleRegion } from '../compute/style-regions.js';
import type { CaffeImage } from '../image/caffe.js';
import { type ConvLayerName, convChannels } from '../network/layers.js';
import type { TileSpan } from './plan.js';
import type { TileMasks, TileRunner } from './tile-runner.js';

/** One tile of the image: where it is, and what its passes need that does not change between evaluations. */
export interface Tile {
  readonly column: TileSpan;
  readonly row: TileSpan;
  readonly styleMasks: TileMasks;
  readonly contentMasks: readonly Float32Array[];
}

/** The tile's pixels [h, w, 3] cut from an image [height, width, 3], into `data` where given (its length h·w·3). */
export function cropImage(image: CaffeImage, column: TileSpan, row: TileSpan, data?: Float32Array): CaffeImage {
  const width = column.end - column.start;
  const height = row.end - row.start;
  data ??= new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((row.start + y) * image.width + column.start) * 3;
    data.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data };
}

/**
 * Crops into one buffer per tile size, reused: an evaluation crops the same few sizes every time, and a new
 * image-sized array is memory touched for the first time (slow on some VMs: README, time to a finished picture).
 * A crop is valid until the next crop of its size; runners read it only while their call runs.
 */
export class TileCrops {
  private readonly buffers = new Map<number, Float32Array>();

  readonly crop = (image: CaffeImage, column: TileSpan, row: TileSpan): CaffeImage => {
    const length = (column.end - column.start) * (row.end - row.start) * 3;
    const data = this.buffers.get(length) ?? new Float32Array(length);
    this.buffers.set(length, data);
    return cropImage(image, column, row, data);
  };
}

/** Adds a tile's gradient [h, w, 3] into the image's. */
function addTile(into: Float32Array, imageWidth: number, tile: Float32Array, column: TileSpan, row: TileSpan): void {
  const width = column.end - column.start;
  for (let y = 0; y < row.end - row.start; y++) {
    const at = ((row.start + y) * imageWidth + column.start) * 3;
    const from = y * width * 3;
    for (let i = 0; i < width * 3; i++) into[at + i] = (into[at + i] as number) + (tile[from + i] as number);
  }
}

/** Called before tile `tile` of `tiles` (1-based) of a pass runs; may reject (cancellation). */
type BeforeTile = (tile: number, tiles: number) => Promise<void>;

/** Σ over a plan's tiles of the runner's Grams, in float64, per layer and region. */
export async function sumGrams(
  runner: TileRunner<unknown>,
  image: CaffeImage,
  tiles: readonly { column: TileSpan; row: TileSpan; styleMasks: TileMasks }[],
  beforeTile: BeforeTile,
  crop: (image: CaffeImage, column: TileSpan, row: TileSpan) => CaffeImage = cropImage,
): Promise<Float64Array[][]> {
  let sums: Float64Array[][] | null = null;
  for (const [k, tile] of tiles.entries()) {
    await beforeTile(k + 1, tiles.length);
    const grams = await runner.grams(crop(image, tile.column, tile.row), tile.styleMasks);
    sums ??= grams.map((perRegion) => perRegion.map((g) => new Float64Array(g.length)));
    addGrams(sums, grams);
  }
  return sums ?? [];
}

/** What the tiled loss knows of its image before any evaluation: its tiles, and per style layer and region M, M_m, β·w_l. */
export interface TiledLayout {
  readonly width: number;
  readonly height: number;
  readonly contentLayers: readonly ConvLayerName[];
  readonly styleLayers: readonly ConvLayerName[];
  readonly tiles: readonly Tile[];
  readonly regions: readonly StyleRegion[];
  /** Per style layer: its positions M. */
  readonly positions: readonly number[];
  /** Per style layer, per region: M_m = Σ m² (M where the region has no mask). */
  readonly maskedPositions: readonly (readonly number[])[];
  /** Per style layer: β · w_l. */
  readonly layerWeights: readonly number[];
}

/** The style term and, per layer and region, D (symmetrised) from the global Grams. */
function styleFromGrams(
  t: TiledLayout,
  grams: Float64Array[][],
  targets: Float64Array[][],
): { style: number; seeds: Float32Array[][] } {
  let style = 0;
  const seeds = t.styleLayers.map((layer, i) => {
    const n = convChannels(layer).outChannels;
    const m = t.positions[i] as number;
    return t.regions.map((_, r) => {
      const mm = t.maskedPositions[i]?.[r] as number;
      const g = grams[i]?.[r] as Float64Array;
      const a = targets[i]?.[r] as Float64Array;
      const d = new Float32Array(n * n);
      if (mm === 0) return d; // an empty mask: no term, no gradient (as style-regions.ts)
      const w = t.layerWeights[i] as number;
      let squares = 0;
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) {
          const diff = (g[p * n + q] as number) / mm - (a[p * n + q] as number);
          const diffT = (g[q * n + p] as number) / mm - (a[q * n + p] as number);
          squares += diff * diff;
          d[p * n + q] = (w * (diff + diffT)) / (2 * n * n * m);
        }
      }
      style += (w * (mm / m) * squares) / (4 * n * n);
      return d;
    });
  });
  return { style, seeds };
}

/**
 * Per style layer and region: k such that the seed D of the Grams G + G_t is D(G) + k (G_t + G_tᵀ) (styleFromGrams:
 * D = w (S + Sᵀ) / (2 N² M) with S = G / M_m − A), 0 for an empty mask.
 */
function ownGramScales(t: TiledLayout): number[][] {
  return t.styleLayers.map((layer, i) => {
    const n = convChannels(layer).outChannels;
    const m = t.positions[i] as number;
    const w = t.layerWeights[i] as number;
    return t.regions.map((_, r) => {
      const mm = t.maskedPositions[i]?.[r] as number;
      return mm === 0 ? 0 : w / (2 * n * n * m * mm);
    });
  });
}

/** Adds a tile's Grams (per layer, per region) into the sums. */
function addGrams(sums: Float64Array[][], grams: readonly (readonly Float32Array[])[]): void {
  grams.forEach((perRegion, i) => {
    perRegion.forEach((g, r) => {
      const acc = sums[i]?.[r] as Float64Array;
      for (let k = 0; k < g.length; k++) acc[k] = (acc[k] as number) + (g[k] as number);
    });
  });
}

/** Pass 2: each tile's share of the gradient, added into `gradient`; returns the content term's sum. */
async function gradientPass<Target>(
  runner: TileRunner<Target>,
  tiles: readonly Tile[],
  image: CaffeImage,
  step: { seeds: Float32Array[][]; contentTargets: (tile: number) => Target[]; contentWeight: number },
  gradient: Float32Array,
  beforeTile: BeforeTile,
  crops: TileCrops,
): Promise<number> {
  let content = 0;
  for (const [k, tile] of tiles.entries()) {
    await beforeTile(k + 1, tiles.length);
    const out = await runner.gradient(crops.crop(image, tile.column, tile.row), {
      styleMasks: tile.styleMasks,
      contentMasks: tile.contentMasks,
      contentTargets: step.contentTargets(k),
      styleSeeds: step.seeds,
      contentWeight: step.contentWeight,
    });
    content += out.content;
    addTile(gradient, image.width, out.gradient, tile.column, tile.row);
  }
  return content;
}

/** What an evaluation's passes need besides the image: the layout, the runner, the targets, the gate per tile. */
export interface PassContext<Target> {
  readonly t: TiledLayout;
  readonly runner: TileRunner<Target>;
  readonly spec: Pick<LossSpec, 'contentWeight'>;
  /** Per style layer, per region: the blended A/M. */
  readonly styleTargets: Float64Array[][];
  /** Per tile: the content image's features on it. */
  readonly contentTargets: (tile: number) => Target[];
  readonly beforeTile: (pass: TilePass, tile: number, tiles: number) => Promise<void>;
  readonly crops: TileCrops;
}

/** Pass 1: the global Grams of the image, then the style term and its seeds D. */
export async function styleStatistics<Target>(c: PassContext<Target>, image: CaffeImage) {
  if (c.t.styleLayers.length === 0) return { style: 0, seeds: [] as Float32Array[][] };
  const grams = await sumGrams(
    c.runner as TileRunner<unknown>,
    image,
    c.t.tiles,
    (k, n) => c.beforeTile('style-statistics', k, n),
    c.crops.crop,
  );
  return styleFromGrams(c.t, grams, c.styleTargets);
}

/** The style term and the content sum; the gradient is added into `gradient`. */
export async function evaluationPasses<Target>(
  c: PassContext<Target>,
  image: CaffeImage,
  gradient: Float32Array,
): Promise<{ style: number; content: number }> {
  const { runner, t } = c;
  if (runner.gradientWithGrams && t.styleLayers.length > 0 && t.tiles.length > 1) {
    return lastTileFirst(c, image, gradient);
  }
  const { style, seeds } = await styleStatistics(c, image);
  let content = 0;
  if (t.contentLayers.length > 0 || t.styleLayers.length > 0) {
    const step = { seeds, contentTargets: c.contentTargets, contentWeight: c.spec.contentWeight };
    const before: BeforeTile = (k, n) => c.beforeTile('gradient', k, n);
    content = await gradientPass(runner, t.tiles, image, step, gradient, before, c.crops);
  }
  return { style, content };
}

/**
 * The same sums with one forward pass less: pass 1 skips the last tile, whose pass 2 runs first with the seeds of
 * the other tiles' Grams plus its own, computed in that run; the global Grams then give the seeds of the others.
 */
async function lastTileFirst<Target>(c: PassContext<Target>, image: CaffeImage, gradient: Float32Array) {
  const { t, runner, styleTargets } = c;
  const rest = t.tiles.slice(0, -1);
  const last = t.tiles.length - 1;
  const tile = t.tiles[last] as Tile;
  const grams = await sumGrams(
    runner as TileRunner<unknown>,
    image,
    rest,
    (k, n) => c.beforeTile('style-statistics', k, n),
    c.crops.crop,
  );
  await c.beforeTile('gradient', 1, t.tiles.length);
  const withGrams = runner.gradientWithGrams as NonNullable<TileRunner<Target>['gradientWithGrams']>;
  const own = await withGrams.call(
    runner,
    c.crops.crop(image, tile.column, tile.row),
    {
      styleMasks: tile.styleMasks,
      contentMasks: tile.contentMasks,
      contentTargets: c.contentTargets(last),
      styleSeeds: styleFromGrams(t, grams, styleTargets).seeds,
      contentWeight: c.spec.contentWeight,
    },
    ownGramScales(t),
  );
  addTile(gradient, image.width, own.gradient, tile.column, tile.row);
  addGrams(grams, own.grams);
  const { style, seeds } = styleFromGrams(t, grams, styleTargets);
  const step = { seeds, contentTargets: c.contentTargets, contentWeight: c.spec.contentWeight };
  const before: BeforeTile = (k, n) => c.beforeTile('gradient', k + 1, n + 1);
  const others = await gradientPass(runner, rest, image, step, gradient, before, c.crops);
  return { style, content: own.content + others };
}
