import type { CaffeImage } from '../image/caffe.js';

/**
 * Per style layer (in the layout's order), per style region: one weight per position of the tile at that layer —
 * 1 on the tile's interior, 0 on its margins, times the region's mask where it has one.
 */
export type TileMasks = readonly (readonly Float32Array[])[];

/** What the second pass needs besides the tile's pixels. */
export interface GradientStep<Target> {
  readonly styleMasks: TileMasks;
  /** Per content layer: 1 on the tile's interior at that layer, 0 on its margins. */
  readonly contentMasks: readonly Float32Array[];
  /** Per content layer: the content image's features on this tile (from contentFeatures). */
  readonly contentTargets: readonly Target[];
  /**
   * Per style layer, per region: D, symmetric N x N, such that the style loss's gradient at the layer's features F
   * is (D F_m) ∘ m with F_m = F ∘ m (F as [N, positions]).
   */
  readonly styleSeeds: readonly (readonly Float32Array[])[];
  /** α. */
  readonly contentWeight: number;
}

/** Per style layer, per region: k, the weight of a tile's own Grams in its seeds (gradientWithGrams). */
export type GramScales = readonly (readonly number[])[];

/**
 * The two passes of a tiled loss on one compute path, one tile at a time (tiled-loss-program.ts drives them). The
 * runner knows the layout it was made for: content layers, style layers, number of style regions, pooling.
 */
export interface TileRunner<Target> {
  /** Pass 1: per style layer, per region, the N x N sum over the tile's positions of (F ∘ m)(F ∘ m)ᵀ. */
  grams(tile: CaffeImage, masks: TileMasks): Promise<Float32Array[][]>;
  /** The content image's features on a tile, per content layer, kept in the runner's own form. */
  contentFeatures(tile: CaffeImage): Promise<Target[]>;
  /**
   * Pass 2: Σ over content layers of ½ Σ w (F − P)² (w the interior), and the gradient with respect to the tile's
   * pixels of α times that plus, per style layer and region, ½ Σ F_m ∘ (D F_m) (whose gradient at F_m is D F_m).
   */
  gradient(tile: CaffeImage, step: GradientStep<Target>): Promise<{ content: number; gradient: Float32Array }>;
  /**
   * Pass 2 for the tile that pass 1 skipped: as gradient, but per style layer and region the seed is
   * D + k (G_t + G_tᵀ), G_t the tile's own Grams (as `grams` gives them, returned too) and k from `gramScales`. One
   * forward pass of the tile instead of two; a runner without it gets both passes on every tile.
   */
  gradientWithGrams?(
    tile: CaffeImage,
    step: GradientStep<Target>,
    gramScales: GramScales,
  ): Promise<{ content: number; gradient: Float32Array; grams: Float32Array[][] }>;
  /** Loss only: Σ over content layers of ½ Σ w (F − P)² on the tile (w: `masks`, its interior), no gradient. */
  contentLoss(tile: CaffeImage, targets: readonly Target[], masks: readonly Float32Array[]): Promise<number>;
  disposeTargets(targets: readonly Target[]): void;
  /** The targets are computed: whatever the runner built only for them (sessions of the style image's tile shapes) may go. */
  targetsDone?(): void;
  dispose(): void;
}
