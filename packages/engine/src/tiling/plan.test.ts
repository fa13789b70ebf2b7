import { describe, expect, it } from 'vitest';
import { type ConvLayerName, layersUpTo, poolsBefore } from '../network/layers.js';
import { contaminationOf, minimumTileSide, planAxis, planTiles, spanAtLevel, type TileSpan } from './plan.js';

const PAPER: ConvLayerName[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv4_2', 'conv5_1'];
const SHALLOW: ConvLayerName[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv3_2'];

/**
 * An independent check of the margins: along one axis, which of a tile's positions at each layer equal the whole
 * image's. A conv output is exact where its three inputs are, a position outside the tile counting as exact only
 * at an image edge (zero padding there in both); a pooled output where both inputs are.
 */
function exactAtLayers(
  span: TileSpan,
  length: number,
  layers: readonly ConvLayerName[],
): Map<ConvLayerName, boolean[]> {
  let ok = Array.from({ length: span.end - span.start }, () => true);
  const atImageStart = span.start === 0;
  const atImageEnd = span.end === length;
  const out = new Map<ConvLayerName, boolean[]>();
  for (const layer of layersUpTo(layers)) {
    const prev = ok;
    if (layer.kind === 'pool') {
      ok = Array.from({ length: Math.floor(prev.length / 2) }, (_, j) => (prev[2 * j] && prev[2 * j + 1]) as boolean);
      continue;
    }
    ok = prev.map((v, i) => {
      const left = i > 0 ? prev[i - 1] : atImageStart;
      const right = i < prev.length - 1 ? prev[i + 1] : atImageEnd;
      return (v && left && right) as boolean;
    });
    out.set(layer.name, ok);
  }
  return out;
}

describe('contaminationOf', () => {
  it('follows the wrong band through convs and poolings (hand-computed)', () => {
    // conv1_1: 1 position, 1 pixel.
    expect(contaminationOf(['conv1_1'])).toEqual({ margin: 1, align: 1 });
    // conv1_1, conv1_2: 2; pool: 1; conv2_1: 2 at level 1 = 4 px.
    expect(contaminationOf(['conv2_1'])).toEqual({ margin: 4, align: 2 });
    // ... conv2_2: 3; pool: 2; conv3_1, conv3_2: 4 at level 2 = 16 px.
    expect(contaminationOf(SHALLOW)).toEqual({ margin: 16, align: 4 });
    // ... conv3_3, 3_4: 6; pool: 3; conv4_1..4_4: 7; pool: 4; conv5_1: 5 at level 4 = 80 px.
    expect(contaminationOf(PAPER)).toEqual({ margin: 80, align: 16 });
    expect(minimumTileSide(PAPER)).toBe(176);
  });
});

describe('planAxis', () => {
  it('cuts 100 px into interiors of 48 with margins of 16 on a grid of 16 (hand-computed)', () => {
    expect(planAxis(100, 48, 16, 16)).toEqual([
      { start: 0, end: 80, interiorStart: 0, interiorEnd: 48 },
      // shifted inwards to end at the image's end; it holds the last interior's context too
      { start: 16, end: 100, interiorStart: 48, interiorEnd: 100 },
    ]);
  });

  it('is one tile when the image fits', () => {
    expect(planAxis(60, 48, 16, 16)).toEqual([{ start: 0, end: 60, interiorStart: 0, interiorEnd: 60 }]);
  });
});

describe('planTiles', () => {
  const cases: [string, ConvLayerName[], number[], number[]][] = [
    ['paper layers', PAPER, [33, 176, 177, 200, 301, 517], [176, 200, 256, 300]],
    ['shallow layers', SHALLOW, [4, 35, 41, 64, 99, 130], [36, 40, 48, 64, 77]],
    ['conv2_1', ['conv2_1'], [2, 9, 23], [10, 12, 13]],
  ];
  it.each(cases)('%s: interiors partition every used layer and are exact there', (_, layers, lengths, sides) => {
    for (const length of lengths) {
      for (const side of sides) {
        const plan = planTiles(length, length, layers, side);
        expect(plan.columns).toEqual(plan.rows);
        expect(plan.tileSide).toBeLessThanOrEqual(Math.max(side, minimumTileSide(layers)) + plan.align);
        for (const span of plan.columns) {
          expect(span.start % plan.align).toBe(0);
          expect(span.end === length || span.end % plan.align === 0).toBe(true);
          expect(span.start).toBeLessThanOrEqual(span.interiorStart);
          expect(span.end).toBeGreaterThanOrEqual(span.interiorEnd);
        }
        const exact = plan.columns.map((s) => exactAtLayers(s, length, layers));
        for (const layer of layers) {
          const pools = poolsBefore(layer);
          const positions = Math.floor(length / 2 ** pools);
          const owners = new Array<number>(positions).fill(0);
          plan.columns.forEach((span, t) => {
            const at = spanAtLevel(span, length, pools);
            const ok = exact[t]?.get(layer) as boolean[];
            expect(ok.length, `${layer} tile ${t} length`).toBe(at.end - at.start);
            for (let p = at.interiorStart; p < at.interiorEnd; p++) {
              owners[p] = (owners[p] as number) + 1;
              expect(ok[p - at.start], `${layer} position ${p} of tile ${t}, ${length} px, side ${side}`).toBe(true);
            }
          });
          expect(owners.every((n) => n === 1)).toBe(true);
        }
      }
    }
  });

  it('uses at most two tile widths per axis', () => {
    const plan = planTiles(4096, 3072, SHALLOW, 1024);
    expect(new Set(plan.columns.map((s) => s.end - s.start)).size).toBeLessThanOrEqual(2);
    expect(plan.columns.length).toBe(5);
    expect(plan.rows.length).toBe(4);
  });

  it('spreads an axis evenly over its tiles, so that the last one barely overlaps its neighbour', () => {
    // Interiors of at most 1100 − 2 × 16 = 1068 px: two a side, of 1024 and 768 px, tiles 32 px wider.
    const plan = planTiles(2048, 1536, SHALLOW, 1100);
    expect(plan.columns).toEqual([
      { start: 0, end: 1056, interiorStart: 0, interiorEnd: 1024 },
      { start: 992, end: 2048, interiorStart: 1024, interiorEnd: 2048 },
    ]);
    expect(plan.rows).toEqual([
      { start: 0, end: 800, interiorStart: 0, interiorEnd: 768 },
      { start: 736, end: 1536, interiorStart: 768, interiorEnd: 1536 },
    ]);
    // An axis one tile holds stays one tile: 23 rows in tiles of 24 px (conv2_1: margins of 4).
    expect(planTiles(29, 23, ['conv2_1'], 24).rows).toEqual([{ start: 0, end: 23, interiorStart: 0, interiorEnd: 23 }]);
  });

  it('enlarges a tile side too small to leave an interior', () => {
    const plan = planTiles(400, 300, PAPER, 100);
    // the last column ends at the image's end: up to one alignment step wider
    expect(plan.tileSide).toBe(300 - 112);
    // interiors of 16 px; those whose context starts at the image's edge share the first tile (176 − 80 = 96)
    expect(plan.columns[0]).toEqual({ start: 0, end: 176, interiorStart: 0, interiorEnd: 96 });
    expect(plan.columns[1]).toEqual({ start: 16, end: 192, interiorStart: 96, interiorEnd: 112 });
  });
});
