/** @impasto/engine: neural style transfer (Gatys, Ecker & Bethge 2015) on TensorFlow.js. Explicit exports only. */

export { loadWeightsFromUrl } from '@impasto/weights';
export {
  BACKENDS,
  type BackendName,
  type BackendPreference,
  BROWSER_BACKEND_CHOICES,
  backendLabel,
  COMPUTE_BACKENDS,
  type ComputeBackend,
} from './backend-names.js';
export type {
  Evaluation,
  LossProgram,
  LossProgramHooks,
  LossSpec,
  LossTerms,
  StyleTarget,
  TilePass,
  TileStep,
} from './compute/loss-program.js';
export {
  type ComputePath,
  type ComputeThreads,
  createEngine,
  type Engine,
  type EngineOptions,
  engineOn,
} from './engine.js';
export { type CaffeImage, caffeToRgba, IMAGENET_MEAN_BGR, rgbaToCaffe } from './image/caffe.js';
export { imageSizeFromHeader } from './image/header-size.js';
export { invertMask, maskValues } from './image/mask.js';
export { fitWithin, scaleToSide } from './image/resize.js';
export { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, type RgbaImage, validateRgba } from './image/rgba.js';
export {
  checkRunFitsMemory,
  type DeviceLimits,
  deviceHostMemory,
  type HostMemory,
  largestSideThatFits,
  machineHostMemory,
  PATH_MEMORY,
  type PathMemory,
  pathMemory,
} from './memory/memory-policy.js';
export { DEFAULT_MAX_MEMORY } from './memory/optimizer-memory.js';
export { CONV_LAYERS, type ConvLayerName, isConvLayerName } from './network/layers.js';
export type { Pooling } from './network/pool.js';
export { createVgg19, requireLayers, type Vgg19 } from './network/vgg19.js';
export type { ConvWeights, Vgg19Weights, WeightsProgress } from './network/weights-types.js';
export { createOptimizer, type OptimizerName } from './optim/index.js';
export type { Objective, Optimizer, StepResult } from './optim/types.js';
export {
  DEFAULT_OPTIONS,
  type InitOption,
  LAYER_PRESETS,
  type LayerPresetName,
  OptionError,
  resolveOptions,
  type StylizeOptions,
  styleWeightForStrength,
} from './options.js';
export { formatDuration, formatLoss, formatTile } from './run/format.js';
export { checkImageFits, type ImageRole, minimumSide } from './run/image-fit.js';
export { DEFAULT_TOLERANCE, planStages, STOP_WINDOW } from './run/schedule.js';
export {
  type CheckedRequest,
  checkStylizeRequest,
  type RunPlace,
  type StageInfo,
  type StopReason,
  type StylizeCallbacks,
  type StylizePhase,
  type StylizeProgress,
  type StylizeRequest,
  type StylizeResult,
  type StylizeTileProgress,
  type WeightedStyle,
} from './run/stylize.js';
export type { RuntimeFault } from './runtime-faults.js';
export { selectBackend } from './tfjs/backend.js';
