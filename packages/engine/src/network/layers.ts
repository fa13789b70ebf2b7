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
