/** The two passes of the tiled loss on ONNX Runtime: see ../tiling/tile-runner.ts and tile-graphs.ts. */
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { CaffeImage } from '../image/caffe.js';
import { convChannels, featureSize } from '../network/layers.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import type { GradientStep, GramScales, TileMasks, TileRunner } from '../tiling/tile-runner.js';
import type { LossLayout } from './loss-graph.js';
import type { OrtModule } from './ort-runtime.js';
import { buildTargetsModel, TARGETS_IO } from './targets-graph.js';
import { buildTileGradientModel, buildTileGramModel, TILE_IO, type TileLayout } from './tile-graphs.js';
import type { ConvAlgorithm } from './vgg-graph.js';

type Feeds = Record<string, Tensor>;

/** The style masks of a tile's regions, per style layer, at each layer's size. */
function maskFeeds(ort: OrtModule, layout: LossLayout, tile: CaffeImage, masks: TileMasks): Feeds {
  const feeds: Feeds = {};
  layout.styleLayers.forEach((layer, i) => {
    const at = featureSize(layer, tile.height, tile.width);
    (masks[i] ?? []).forEach((m, r) => {
      feeds[TILE_IO.styleMask(layer, r)] = new ort.Tensor('float32', m, [1, 1, at.height, at.width]);
    });
  });
  return feeds;
}

/** The gradient graph's inputs besides the image and style masks: content weight, targets and masks, style seeds. */
function gradientStepFeeds(
  ort: OrtModule,
  layout: LossLayout,
  tile: CaffeImage,
  step: GradientStep<Tensor>,
  regions: number,
): Feeds {
  const feeds: Feeds = {};
  if (layout.contentLayers.length > 0) {
    feeds[TILE_IO.contentWeight] = new ort.Tensor('float32', Float32Array.of(step.contentWeight), []);
  }
  layout.contentLayers.forEach((layer, i) => {
    const at = featureSize(layer, tile.height, tile.width);
    feeds[TILE_IO.contentTarget(layer)] = step.contentTargets[i] as Tensor;
    const mask = step.contentMasks[i] as Float32Array;
    feeds[TILE_IO.contentMask(layer)] = new ort.Tensor('float32', mask, [1, 1, at.height, at.width]);
  });
  layout.styleLayers.forEach((layer, i) => {
    const n = convChannels(layer).outChannels;
    for (let r = 0; r < regions; r++) {
      const seed = step.styleSeeds[i]?.[r] as Float32Array;
      feeds[TILE_IO.styleSeed(layer, r)] = new ort.Tensor('float32', seed, [n, n]);
    }
  });
  return feeds;
}

/** The gradient graph's own-Grams switch and scales: off (and k 0) without `scales`. */
function ownGramFeeds(ort: OrtModule, layout: LossLayout, regions: number, scales: GramScales | null): Feeds {
  if (layout.styleLayers.length === 0 || regions === 0) return {};
  const scalar = (v: number) => new ort.Tensor('float32', Float32Array.of(v), []);
  const feeds: Feeds = { [TILE_IO.ownGrams]: scalar(scales ? 1 : 0) };
  layout.styleLayers.forEach((layer, i) => {
    for (let r = 0; r < regions; r++) feeds[TILE_IO.ownGramScale(layer, r)] = scalar(scales?.[i]?.[r] ?? 0);
  });
  return feeds;
}

/** ½ Σ over the interior (masks) of the squared difference between features and targets, NCHW; frees `features`. */
function maskedContentLoss(features: Tensor[], targets: readonly Tensor[], masks: readonly Float32Array[]): number {
  let sum = 0;
  features.forEach((f, i) => {
    // NCHW [1, N, h, w]: every channel's positions weighted by the interior mask [h·w].
    const [a, b] = [f.data as Float32Array, (targets[i] as Tensor).data as Float32Array];
    const mask = masks[i] as Float32Array;
    for (let k = 0; k < a.length; k++) {
      const d = (a[k] as number) - (b[k] as number);
      sum += (mask[k % mask.length] as number) * d * d;
    }
    f.dispose();
  });
  return sum / 2;
}

/** Releases every session of `sessions` (once built) and forgets them. */
function releaseAll(sessions: Map<string, Promise<InferenceSession>>): void {
  const all = [...sessions.values()];
  sessions.clear();
  for (const s of all) void s.then((x) => x.release()).catch(() => {});
}

/**
 * A runner whose sessions are built per tile size on first use (a plan has at most four sizes) and released with
 * it; those the targets used go once they are computed. Whether a session keeps ONNX Runtime's memory arena (and so
 * its peak) is the path's choice (`sessionOptions.enableCpuMemArena`, from OrtPathConfig.tileArena).
 */
export function createOnnxTileRunner(
  ort: OrtModule,
  weights: Vgg19Weights,
  layout: LossLayout,
  sessionOptions: InferenceSession.SessionOptions,
  conv: ConvAlgorithm = 'direct',
): TileRunner<Tensor> {
  const { contentLayers, styleLayers, pooling } = layout;
  const sessions = new Map<string, Promise<InferenceSession>>();
  const session = (key: string, build: () => Uint8Array) => {
    let s = sessions.get(key);
    if (!s) {
      s = Promise.resolve().then(() => ort.InferenceSession.create(build(), sessionOptions));
      sessions.set(key, s);
    }
    return s;
  };
  const tileLayout = (regions: number): TileLayout => ({ contentLayers, styleLayers, regions, pooling });
  const image = (tile: CaffeImage) => new ort.Tensor('float32', tile.data, [1, tile.height, tile.width, 3]);
  /** Pass 2 on a tile; with `gramScales`, the tile's own Grams in its seeds (and returned), else none. */
  const gradientRun = async (tile: CaffeImage, step: GradientStep<Tensor>, gramScales: GramScales | null) => {
    const regions = step.styleMasks[0]?.length ?? 0;
    const size = { width: tile.width, height: tile.height };
    const s = await session(`gradient|${regions}|${tile.width}x${tile.height}`, () =>
      buildTileGradientModel(weights, tileLayout(regions), size, conv),
    );
    const feeds: Feeds = {
      [TILE_IO.image]: image(tile),
      ...maskFeeds(ort, layout, tile, step.styleMasks),
      ...gradientStepFeeds(ort, layout, tile, step, regions),
      ...ownGramFeeds(ort, layout, regions, gramScales),
    };
    const out = await s.run(feeds);
    const content = ((out[TILE_IO.content] as Tensor).data as Float32Array)[0] as number;
    const grams = styleLayers.map((layer) =>
      Array.from({ length: regions }, (_, r) => (out[TILE_IO.ownGram(layer, r)] as Tensor).data as Float32Array),
    );
    return { content, gradient: (out[TILE_IO.gradient] as Tensor).data as Float32Array, grams };
  };
  return {
    async grams(tile, masks) {
      const regions = masks[0]?.length ?? 0;
      const size = { width: tile.width, height: tile.height };
      const s = await session(`grams|${regions}|${tile.width}x${tile.height}`, () =>
        buildTileGramModel(weights, tileLayout(regions), size, conv),
      );
      const out = await s.run({ [TILE_IO.image]: image(tile), ...maskFeeds(ort, layout, tile, masks) });
      return styleLayers.map((layer) =>
        Array.from({ length: regions }, (_, r) => (out[TILE_IO.gram(layer, r)] as Tensor).data as Float32Array),
      );
    },

    async contentFeatures(tile) {
      const s = await session('content', () => buildTargetsModel(weights, contentLayers, [], pooling));
      const names = contentLayers.map(TARGETS_IO.contentFeature);
      const out = await s.run({ [TARGETS_IO.image]: image(tile) }, names);
      return names.map((name) => out[name] as Tensor);
    },

    async gradient(tile, step: GradientStep<Tensor>) {
      const { content, gradient } = await gradientRun(tile, step, null);
      return { content, gradient };
    },

    async gradientWithGrams(tile, step: GradientStep<Tensor>, gramScales) {
      return gradientRun(tile, step, gramScales);
    },

    async contentLoss(tile, targets, masks) {
      if (contentLayers.length === 0) return 0;
      return maskedContentLoss(await this.contentFeatures(tile), targets, masks);
    },

    disposeTargets(targets) {
      for (const t of targets) t.dispose();
    },
    targetsDone() {
      releaseAll(sessions);
    },
    dispose() {
      releaseAll(sessions);
    },
  };
}
