/**
 * The Gatys loss and its image gradient computed tile by tile, equal to the untiled ones up to float rounding.
 *
 * Why it is exact. Every loss term is a sum over feature positions or a function of such sums:
 *   content  ½ Σ_p (F_p − P_p)²                       a sum over positions p
 *   style    E(G), G = Σ_p F_p F_pᵀ (masked: F_p m_p)  a function of a sum over positions
 * The plan (plan.ts) gives every position of every used layer to exactly one tile's interior, and a tile's interior
 * features are the image's own (same pixels, nothing outside the tile reaches them). So pass 1 sums the interiors'
 * Grams into the global G, exactly. By the chain rule, dL/dx = Σ_p (dL/dF_p) dF_p/dx, where dL/dF_p is the content
 * term's F_p − P_p and the style term's (dE/dG)(F_p + F_pᵀ)… = D F_p with D = w (G/M_m − A)/(N² M) — a matrix of
 * the *global* G, the same for every position. Pass 2 fixes D and sums, tile by tile, the gradient of Σ over the
 * tile's interior positions of that position's share; its sum over tiles is dL/dx. Total variation is on pixels and
 * computed on the whole image here.
 */
import { cancelledError } from '@impasto/errors';
import type { LossLayout } from '../compute/loss-layout.js';
import type {
  Evaluation,
  LossProgram,
  LossProgramHooks,
  LossSpec,
  LossTerms,
  TilePass,
} from '../compute/loss-program.js';
import { maskAtLayer, maskPositions, type StyleRegion, styleRegions } from '../compute/style-regions.js';
import type { CaffeImage } from '../image/caffe.js';
import { type ConvLayerName, convChannels, featureSize, poolsBefore } from '../network/layers.js';
import { nextTask } from '../run/next-task.js';
import { planTiles, spanAtLevel, type TilePlan, type TileSpan, tileCount } from './plan.js';
import {
  cropImage,
  evaluationPasses,
  type PassContext,
  styleStatistics,
  sumGrams,
  type Tile,
  TileCrops,
  type TiledLayout,
} from './tile-passes.js';
import type { TileRunner } from './tile-runner.js';
import { addTotalVariation } from './total-variation.js';

/**
 * A tile's weights at a layer `pools` poolings down: 1 on its interior, 0 on its margins, times `layerMask` (the
 * whole image's mask at that layer) where given.
 */
function interiorWeights(
  plan: { width: number; height: number },
  column: TileSpan,
  row: TileSpan,
  pools: number,
  layerMask?: Float32Array,
): Float32Array {
  const c = spanAtLevel(column, plan.width, pools);
  const r = spanAtLevel(row, plan.height, pools);
  const layerWidth = Math.floor(plan.width / 2 ** pools);
  const width = c.end - c.start;
  const out = new Float32Array(width * (r.end - r.start));
  for (let y = r.interiorStart; y < r.interiorEnd; y++) {
    for (let x = c.interiorStart; x < c.interiorEnd; x++) {
      out[(y - r.start) * width + (x - c.start)] = layerMask ? (layerMask[y * layerWidth + x] as number) : 1;
    }
  }
  return out;
}

/** A style image and where to cut it. */
interface StylePlan {
  readonly style: StyleRegion['styles'][number];
  readonly plan: TilePlan;
}

/** Per style region, its style images' tile plans (cheap, so the targets' tiles can be counted first). */
function planStyles(spec: LossSpec, layers: readonly ConvLayerName[], tileSide: number): StylePlan[][] {
  return styleRegions(spec).map((region) =>
    region.styles.map((style) => ({ style, plan: planTiles(style.image.width, style.image.height, layers, tileSide) })),
  );
}

/** Per style layer: the blended targets A/M of each region, from each style image's tiled Grams. */
async function styleTargets(
  runner: TileRunner<unknown>,
  regions: readonly (readonly StylePlan[])[],
  layers: readonly ConvLayerName[],
  beforeTile: () => Promise<void>,
): Promise<Float64Array[][]> {
  const targets: Float64Array[][] = layers.map(() => []);
  for (const region of regions) {
    const blended = layers.map((l) => new Float64Array(convChannels(l).outChannels ** 2));
    for (const { style, plan } of region) {
      const { width, height } = style.image;
      const tiles = plan.rows.flatMap((row) =>
        plan.columns.map((column) => ({
          column,
          row,
          styleMasks: layers.map((l) => [interiorWeights(plan, column, row, poolsBefore(l))]),
        })),
      );
      const grams = await sumGrams(runner, style.image, tiles, beforeTile);
      layers.forEach((layer, i) => {
        const at = featureSize(layer, height, width);
        const g = grams[i]?.[0] as Float64Array;
        const acc = blended[i] as Float64Array;
        const scale = style.weight / (at.width * at.height);
        for (let k = 0; k < g.length; k++) acc[k] = (acc[k] as number) + (g[k] as number) * scale;
      });
    }
    blended.forEach((b, i) => {
      targets[i]?.push(b);
    });
  }
  return targets;
}

/** A turn of the event loop (where a cancel can arrive: wasm's awaits never yield), the tile's report, the check. */
function tileGate(hooks: LossProgramHooks): (pass: TilePass, tile: number, tiles: number) => Promise<void> {
  const { onTile, signal } = hooks;
  return async (pass, tile, tiles) => {
    if (signal) await nextTask();
    onTile?.({ pass, tile, tiles });
    if (signal?.aborted) throw cancelledError(signal);
  };
}

function tiledLayout(spec: LossSpec, layout: LossLayout, tileSide: number): TiledLayout {
  const { width, height } = spec;
  if (spec.content.width !== width || spec.content.height !== height) {
    throw new Error(`content is ${spec.content.width}x${spec.content.height}, expected ${width}x${height}`);
  }
  const contentLayers = [...layout.contentLayers];
  const styleLayers = [...layout.styleLayers];
  const plan = planTiles(width, height, [...contentLayers, ...styleLayers], tileSide);
  const regions = styleLayers.length > 0 ? styleRegions(spec) : [];
  // Per style layer, per region: the region's mask at the layer (none: everywhere).
  const layerMasks = styleLayers.map((layer) =>
    regions.map((r) => (r.mask ? maskAtLayer(r.mask, width, height, layer) : undefined)),
  );
  const positions = styleLayers.map((layer) => {
    const at = featureSize(layer, height, width);
    return at.width * at.height;
  });
  const maskedPositions = layerMasks.map((perRegion, i) =>
    perRegion.map((m) => (m ? maskPositions(m) : (positions[i] as number))),
  );
  const layerWeights = styleLayers.map(
    (layer) =>
      spec.styleWeight *
      spec.styleLayers.reduce((a, l, i) => (l === layer ? a + (spec.styleLayerWeights[i] as number) : a), 0),
  );
  const tiles: Tile[] = plan.rows.flatMap((row) =>
    plan.columns.map((column) => ({
      column,
      row,
      styleMasks: styleLayers.map((layer, i) =>
        (layerMasks[i] as (Float32Array | undefined)[]).map((m) =>
          interiorWeights(plan, column, row, poolsBefore(layer), m),
        ),
      ),
      contentMasks: contentLayers.map((layer) => interiorWeights(plan, column, row, poolsBefore(layer))),
    })),
  );
  return { width, height, contentLayers, styleLayers, tiles, regions, positions, maskedPositions, layerWeights };
}

/**
 * The targets' pass: the style targets (returned) and each tile's content targets (pushed into `contentTargets` as
 * they come, so a failure part-way leaves them to be released).
 */
async function computeTargets<Target>(
  spec: LossSpec,
  t: TiledLayout,
  runner: TileRunner<Target>,
  tileSide: number,
  beforeTile: ReturnType<typeof tileGate>,
  contentTargets: Target[][],
): Promise<Float64Array[][]> {
  const { styleLayers, contentLayers, tiles } = t;
  const stylePlans = styleLayers.length > 0 ? planStyles(spec, styleLayers, tileSide) : [];
  const count =
    stylePlans.flat().reduce((n, s) => n + tileCount(s.plan), 0) + (contentLayers.length > 0 ? tiles.length : 0);
  let done = 0;
  const beforeTargetTile = () => beforeTile('targets', ++done, count);
  const targets =
    styleLayers.length > 0
      ? await styleTargets(runner as TileRunner<unknown>, stylePlans, styleLayers, beforeTargetTile)
      : [];
  if (contentLayers.length > 0) {
    for (const tile of tiles) {
      await beforeTargetTile();
      contentTargets.push(await runner.contentFeatures(cropImage(spec.content, tile.column, tile.row)));
    }
  }
  runner.targetsDone?.();
  return targets;
}

/**
 * A LossProgram over tiles of at most `tileSide` pixels a side (margins included) on `runner`'s compute path; it
 * owns the runner. Targets are computed in the background; the first evaluate waits for them. `hooks.onTile` hears
 * of each tile before it runs, in every pass; `hooks.signal` is checked between tiles.
 */
export function createTiledLossProgram<Target>(
  spec: LossSpec,
  layout: LossLayout,
  runner: TileRunner<Target>,
  tileSide: number,
  hooks: LossProgramHooks = {},
): LossProgram & { readonly ready: Promise<void> } {
  const beforeTile = tileGate(hooks);
  const t = tiledLayout(spec, layout, tileSide);
  const { width, height, tiles, contentLayers } = t;
  let contentTargets: Target[][] = [];
  const ready = computeTargets(spec, t, runner, tileSide, beforeTile, contentTargets);
  let closed = false;
  let settled = false;
  const release = () => {
    for (const target of contentTargets) runner.disposeTargets(target);
    contentTargets = [];
    runner.dispose();
  };
  const onSettled = () => {
    settled = true;
    if (closed) release();
  };
  ready.then(onSettled, onSettled); // errors are reported by evaluate

  /** x as the image, once checked. */
  const checkedImage = (x: Float32Array): CaffeImage => {
    if (closed) throw new Error('this tiled loss program was disposed');
    if (x.length !== width * height * 3) {
      throw new Error(`image has ${x.length} values, expected ${width}x${height}x3 = ${width * height * 3}`);
    }
    return { width, height, data: x };
  };
  const crops = new TileCrops();
  const passes = async (): Promise<PassContext<Target>> => ({
    t,
    runner,
    spec,
    styleTargets: await ready,
    contentTargets: (k) => contentTargets[k] ?? [],
    beforeTile,
    crops,
  });

  const readyOrFailed = ready.then(() => {});
  readyOrFailed.catch(() => {}); // a failure (a cancellation among them) is reported by evaluate

  return {
    ready: readyOrFailed,
    async evaluate(x: Float32Array, gradientInto?: Float32Array): Promise<Evaluation> {
      const image = checkedImage(x);
      if (gradientInto && (gradientInto.length !== x.length || gradientInto === x)) {
        throw new Error(`gradientInto must be a buffer of the image's ${x.length} values other than the image`);
      }
      const gradient = gradientInto?.fill(0) ?? new Float32Array(x.length);
      const { style, content } = await evaluationPasses(await passes(), image, gradient);
      const tv = addTotalVariation(image, spec.tvWeight, gradient);
      const c = spec.contentWeight * content;
      return { terms: { total: c + style + tv, content: c, style, tv }, gradient };
    },
    /** The loss without pass 2: the style statistics, then each tile's content term (forward only). */
    async evaluateLoss(x: Float32Array): Promise<LossTerms> {
      const image = checkedImage(x);
      const { style } = await styleStatistics(await passes(), image);
      let content = 0;
      if (contentLayers.length > 0) {
        for (const [k, tile] of tiles.entries()) {
          await beforeTile('content', k + 1, tiles.length);
          const crop = crops.crop(image, tile.column, tile.row);
          content += await runner.contentLoss(crop, contentTargets[k] ?? [], tile.contentMasks);
        }
      }
      const tv = addTotalVariation(image, spec.tvWeight, null);
      const c = spec.contentWeight * content;
      return { total: c + style + tv, content: c, style, tv };
    },
    dispose() {
      if (closed) return;
      closed = true;
      if (settled) release(); // otherwise once the targets are done
    },
  };
}
