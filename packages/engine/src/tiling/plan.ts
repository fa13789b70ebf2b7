/**
 * Where to cut an image into tiles so that per-tile features equal the whole image's, exactly.
 *
 * Every conv layer is 3x3 with zero padding: a tile's features differ from the whole image's only near a tile edge
 * that is not an image edge, where the tile pads with zeros instead of reading its neighbour. Each conv widens that
 * wrong band by one position of its level, and a 2x2 pooling whose windows sit on the global grid maps a band of c
 * positions to ceil(c/2). `contaminationOf` follows that band down to the deepest layer; a margin at least that
 * wide (in pixels) around a tile's interior keeps every interior feature of every used layer exact — the same value,
 * computed from the same pixels, with nothing outside the tile reaching it, so its derivative is the same too.
 * Tile starts and ends lie on the grid of the deepest pooling (a multiple of 2^pools pixels), or at the image's
 * end, where the tile floors odd sides exactly as the whole image does; interiors then map to whole positions at
 * every layer and partition every feature map.
 */
import { type ConvLayerName, layersUpTo } from '../network/layers.js';

/** One tile along one axis, in pixels: [start, end) is what the network sees, [interiorStart, interiorEnd) it owns. */
export interface TileSpan {
  readonly start: number;
  readonly end: number;
  readonly interiorStart: number;
  readonly interiorEnd: number;
}

export interface TilePlan {
  readonly width: number;
  readonly height: number;
  /** Pixels of context each interior needs on every side that is not an image edge. */
  readonly margin: number;
  /** 2^pools before the deepest layer: tile boundaries lie on multiples of it (or at the image's end). */
  readonly align: number;
  /** The widest tile, margins included (a tile side asked below the minimum is enlarged to it). */
  readonly tileSide: number;
  readonly columns: readonly TileSpan[];
  readonly rows: readonly TileSpan[];
}

/** Margin and alignment for the network up to the deepest of `layers`. */
export function contaminationOf(layers: readonly ConvLayerName[]): { margin: number; align: number } {
  let band = 0; // wrong positions at the current level, next to a tile edge
  let level = 0; // poolings so far
  for (const layer of layersUpTo(layers)) {
    if (layer.kind === 'conv') band += 1;
    else {
      band = Math.ceil(band / 2);
      level += 1;
    }
  }
  return { margin: band * 2 ** level, align: 2 ** level };
}

/** The smallest tile side (margins included) that leaves an interior: one alignment step plus two margins. */
export function minimumTileSide(layers: readonly ConvLayerName[]): number {
  const { margin, align } = contaminationOf(layers);
  return align + 2 * margin;
}

function alignDown(v: number, align: number): number {
  return Math.floor(v / align) * align;
}

/**
 * Tiles along one axis of `length` pixels: interiors of `interior` pixels (a multiple of `align`; the last one
 * shorter), each tile `interior + 2·margin` wide where it fits, shifted inwards at the image's ends so that most
 * tiles have one shape; the last one ends at the image's end.
 */
export function planAxis(length: number, interior: number, margin: number, align: number): TileSpan[] {
  const extent = interior + 2 * margin;
  if (extent >= length || interior >= length) return [{ start: 0, end: length, interiorStart: 0, interiorEnd: length }];
  const lastStart = alignDown(length - extent, align);
  const spans: TileSpan[] = [];
  for (let interiorStart = 0; interiorStart < length; interiorStart += interior) {
    const interiorEnd = Math.min(length, interiorStart + interior);
    const start = Math.min(Math.max(0, interiorStart - margin), lastStart);
    const end = start === lastStart ? length : start + extent;
    const previous = spans.at(-1);
    // The last tile, shifted inwards, may already hold this interior's context: one tile owns both.
    if (previous?.start === start) spans[spans.length - 1] = { ...previous, interiorEnd };
    else spans.push({ start, end, interiorStart, interiorEnd });
  }
  return spans;
}

/**
 * The interior along an axis of `length` px: as few tiles as interiors of at most `most` allow, their interiors as
 * even as the grid allows. Full-size interiors and a short last one would shift the last tile inwards over its
 * neighbour, computing its pixels twice (2048x1536 in tiles of 1100 px: 1.55x the image's pixels; even: 1.07x).
 */
function evenInterior(length: number, most: number, margin: number, align: number): number {
  if (length <= most + 2 * margin) return most; // one tile holds the axis
  const count = Math.ceil(length / most);
  return Math.min(most, Math.ceil(length / count / align) * align);
}

/**
 * The tiles of a `width` x `height` image for a network up to the deepest of `layers`, each at most `tileSide`
 * pixels a side (margins included) unless that leaves no interior, in which case the tile is enlarged to
 * minimumTileSide. One tile when the image fits.
 */
export function planTiles(width: number, height: number, layers: readonly ConvLayerName[], tileSide: number): TilePlan {
  const { margin, align } = contaminationOf(layers);
  const most = Math.max(align, alignDown(tileSide - 2 * margin, align));
  const columns = planAxis(width, evenInterior(width, most, margin, align), margin, align);
  const rows = planAxis(height, evenInterior(height, most, margin, align), margin, align);
  const widest = (spans: readonly TileSpan[]) => Math.max(...spans.map((s) => s.end - s.start));
  return { width, height, margin, align, tileSide: Math.max(widest(columns), widest(rows)), columns, rows };
}

/** Number of tiles of a plan. */
export function tileCount(plan: TilePlan): number {
  return plan.columns.length * plan.rows.length;
}

/** A span at a layer `pools` poolings down: the whole positions it covers there (the image's end floors). */
export function spanAtLevel(span: TileSpan, length: number, pools: number): TileSpan {
  const scale = 2 ** pools;
  const at = (v: number) => (v === length ? Math.floor(length / scale) : v / scale);
  return {
    start: at(span.start),
    end: at(span.end),
    interiorStart: at(span.interiorStart),
    interiorEnd: at(span.interiorEnd),
  };
}
