/** VGG19's layer table lives in @impasto/weights (it is what the weights must match); the engine's modules import it here. */
export {
  CONV_LAYERS,
  type ConvLayerName,
  convChannels,
  featureSize,
  isConvLayerName,
  type LayerSpec,
  layersUpTo,
  type PoolLayerName,
  requireLayers,
  VGG19_LAYERS,
  weightsNameOf,
} from '@impasto/weights';

import type { ConvLayerName } from '@impasto/weights';

/** Poolings before a conv layer: conv3_2 -> 2 (the tiling plan's levels). */
export function poolsBefore(layer: ConvLayerName): number {
  return Number(layer.slice(4, 5)) - 1;
}
