import type { ConvLayerName } from '../network/layers.js';
import type { Pooling } from '../network/pool.js';
import type { LossSpec } from './loss-program.js';
import { styleRegions } from './style-regions.js';

/**
 * What a loss is computed over: the layers actually in play (none when their weight is 0), the style regions
 * (style-regions.ts: styles sharing a mask, or none) and the pooling. Both compute paths build from it.
 */
export interface LossLayout {
  readonly contentLayers: readonly ConvLayerName[];
  readonly styleLayers: readonly ConvLayerName[];
  readonly styleRegions: readonly { readonly masked: boolean }[];
  readonly pooling: Pooling;
}

/** The layers a spec really uses: none for a term whose weight is 0 (or whose styles all weigh 0). */
export function layoutOf(spec: LossSpec): LossLayout {
  const styled = spec.styleWeight > 0 && spec.styles.some((s) => s.weight > 0);
  return {
    contentLayers: spec.contentWeight > 0 ? [...new Set(spec.contentLayers)] : [],
    styleLayers: styled ? [...new Set(spec.styleLayers)] : [],
    styleRegions: styled ? styleRegions(spec).map((r) => ({ masked: r.mask !== undefined })) : [],
    pooling: spec.pooling,
  };
}
