import { type BackendName, type BackendPreference, selectBackend } from './backend.js';
import type { ConvLayerName } from './network/layers.js';
import { createVgg19, requireLayers } from './network/vgg19.js';
import type { Vgg19Weights } from './network/weights-types.js';
import { resolveOptions } from './options.js';
import {
  layersNeeded,
  runStylization,
  type StylizeCallbacks,
  type StylizeRequest,
  type StylizeResult,
} from './stylize.js';
import { tf } from './tf.js';
import { createTfLossProgram } from './tf-loss-program.js';

export interface EngineOptions {
  readonly weights: Vgg19Weights;
  /** 'auto' picks the best that starts: webgpu, webgl, wasm, cpu (in Node: wasm, cpu). */
  readonly backend?: BackendPreference;
}

/** A loaded network on one backend. Load once, stylize many times, dispose when done. */
export interface Engine {
  /** The backend that runs. */
  readonly backend: BackendName;
  /** Better backends that could not start, and why. */
  readonly unavailable: readonly { readonly name: BackendName; readonly reason: string }[];
  /** Conv layers the weights provide. */
  readonly layers: readonly ConvLayerName[];
  stylize(request: StylizeRequest, callbacks?: StylizeCallbacks): Promise<StylizeResult>;
  dispose(): void;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const choice = await selectBackend(options.backend ?? 'auto');
  const net = createVgg19(options.weights, { convGradient: choice.convGradient });
  let disposed = false;
  return {
    backend: choice.name,
    unavailable: choice.unavailable,
    layers: net.available,
    async stylize(request, callbacks) {
      if (disposed) throw new Error('this engine was disposed');
      requireLayers(net.available, layersNeeded(resolveOptions(request.options)));
      if (tf.getBackend() !== choice.name) await tf.setBackend(choice.name);
      return runStylization(request, (spec) => createTfLossProgram(net, spec), callbacks);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      net.dispose();
    },
  };
}
