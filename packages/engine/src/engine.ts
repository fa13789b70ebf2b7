import { ImpastoError } from '@impasto/errors';
import { type BackendName, type BackendPreference, selectBackend } from './backend.js';
import { asComputeError } from './compute-errors.js';
import { type ConvLayerName, requireLayers } from './network/layers.js';
import { createVgg19 } from './network/vgg19.js';
import type { Vgg19Weights } from './network/weights-types.js';
import {
  checkStylizeRequest,
  type LossProgramFactory,
  layersNeeded,
  runStylization,
  type StylizeCallbacks,
  type StylizeRequest,
  type StylizeResult,
} from './stylize.js';
import { tf } from './tf.js';
import { createTfProgram } from './tf-loss-program.js';

/** What computes the loss and its gradient: a tfjs backend, or ONNX Runtime (Node, see node/engine-node.ts). */
export type ComputeBackend = BackendName | 'onnx';

export interface EngineOptions {
  readonly weights: Vgg19Weights;
  /** 'auto' picks the best that starts: webgpu, webgl, wasm, cpu (in Node: wasm, cpu). */
  readonly backend?: BackendPreference;
}

/** A loaded network on one compute path. Load once, stylize many times, dispose when done. */
export interface Engine {
  /** The backend that runs. */
  readonly backend: ComputeBackend;
  /** Better backends that could not start, and why. */
  readonly unavailable: readonly { readonly name: string; readonly reason: string }[];
  /** Conv layers the weights provide. */
  readonly layers: readonly ConvLayerName[];
  stylize(request: StylizeRequest, callbacks?: StylizeCallbacks): Promise<StylizeResult>;
  dispose(): void;
}

/** The parts of an engine that differ per compute path. */
export interface ComputePath {
  readonly backend: ComputeBackend;
  readonly unavailable: readonly { readonly name: string; readonly reason: string }[];
  readonly layers: readonly ConvLayerName[];
  /** Called before each run (e.g. to make this engine's tfjs backend the active one again). */
  activate(): Promise<void>;
  readonly makeProgram: LossProgramFactory;
  dispose(): void;
}

/** An Engine over any compute path: option and layer checks up front, then the shared stylize loop. */
export function engineOn(path: ComputePath): Engine {
  let disposed = false;
  return {
    backend: path.backend,
    unavailable: path.unavailable,
    layers: path.layers,
    async stylize(request, callbacks) {
      if (disposed) throw new ImpastoError('internal', 'this engine was disposed');
      const checked = checkStylizeRequest(request); // once: runStylization takes the checked request as it is
      requireLayers(path.layers, layersNeeded(checked.options));
      try {
        await path.activate();
        return await runStylization(checked, path.makeProgram, callbacks);
      } catch (e) {
        throw asComputeError(e, path.backend);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      path.dispose();
    },
  };
}

/** An engine on the best (or the given) TensorFlow.js backend. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const choice = await selectBackend(options.backend ?? 'auto');
  const net = createVgg19(options.weights, { convGradient: choice.convGradient });
  return engineOn({
    backend: choice.name,
    unavailable: choice.unavailable,
    layers: net.available,
    async activate() {
      if (tf.getBackend() !== choice.name) await tf.setBackend(choice.name);
    },
    makeProgram: (spec) => createTfProgram(net, spec, choice.name),
    dispose: () => net.dispose(),
  });
}
