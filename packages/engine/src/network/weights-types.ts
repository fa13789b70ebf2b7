/** The decoded weights' types live in @impasto/weights; the engine's modules import them here. */
export type { ConvWeights, Vgg19Weights, WeightsProgress } from '@impasto/weights';
