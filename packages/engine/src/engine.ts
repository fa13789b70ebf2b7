import { ImpastoError } from '@impasto/errors';
import type { ComputeBackend } from './backend-names.js';
import { asComputeError } from './compute-errors.js';
import { deviceHostMemory, type HostMemory } from './memory/memory-policy.js';
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
} from './run/stylize.js';
import { takeRuntimeFault, throwIfRuntimeFault } from './runtime-faults.js';
import { type BackendPreference, restartBackend, selectBackend } from './tfjs/backend.js';
import { guardTfBackend } from './tfjs/runtime-guards.js';
import { tf } from './tfjs/tf.js';
import { createTfProgram } from './tfjs/tf-loss-program.js';

export type { ComputeBackend };

/** How many threads a compute path runs, and why (set where the count is the path's own choice). */
export interface ComputeThreads {
  readonly count: number;
  readonly why: string;
}

export interface EngineOptions {
  readonly weights: Vgg19Weights;
  /** 'auto' picks the best that starts: webgpu, webgl, wasm, cpu (in Node: wasm, cpu). */
  readonly backend?: BackendPreference;
  /** Memory runs may use when their options name none; absent: a browser's share of the device, else the default. */
  readonly hostMemory?: HostMemory;
}

/** A loaded network on one compute path. Load once, stylize many times, dispose when done. */
export interface Engine {
  /** The backend that runs. */
  readonly backend: ComputeBackend;
  /** Better backends that could not start or were passed over (software adapters), and why. */
  readonly unavailable: readonly { readonly name: string; readonly reason: string; readonly software?: string }[];
  /** Set when the backend in use runs on a software graphics adapter (chosen by hand): the adapter's words. */
  readonly software?: string;
  /** Set where the path chooses its thread count (Node's ONNX Runtime, ort-wasm): how many, and why. */
  readonly threads?: ComputeThreads;
  /** Conv layers the weights provide. */
  readonly layers: readonly ConvLayerName[];
  /**
   * Errors are ImpastoErrors: input and option checks before any tensor exists ('image-too-small', …), and a
   * backend's failure as 'out-of-memory' or 'backend-failed'; a backend whose runtime died is restarted next run.
   */
  stylize(request: StylizeRequest, callbacks?: StylizeCallbacks): Promise<StylizeResult>;
  dispose(): void;
}

/** The parts of an engine that differ per compute path. */
export interface ComputePath {
  readonly backend: ComputeBackend;
  readonly unavailable: readonly { readonly name: string; readonly reason: string; readonly software?: string }[];
  readonly software?: string;
  readonly threads?: ComputeThreads;
  readonly layers: readonly ConvLayerName[];
  /** Memory runs may use when their options name none (a browser's share of the device); absent: the default. */
  readonly hostMemory?: HostMemory;
  /** Called before each run (e.g. to make this engine's tfjs backend the active one again). */
  activate(): Promise<void>;
  /** Called after a run whose runtime died (e.g. a wasm abort), so the next activate starts a fresh one. */
  broken?(): void;
  readonly makeProgram: LossProgramFactory;
  dispose(): void;
}

/**
 * The path's loss programs, checked for runtime faults (runtime-faults.ts) before each tile and after each
 * evaluation: a failure inside a kernel that the runtime did not raise becomes the engine's error there.
 */
function faultChecked(path: ComputePath): LossProgramFactory {
  return (spec, hooks) => {
    const check = () => throwIfRuntimeFault(path.backend);
    const program = path.makeProgram(spec, {
      ...hooks,
      onTile: (step) => {
        check();
        hooks?.onTile?.(step);
      },
    });
    const evaluateLoss = program.evaluateLoss?.bind(program);
    return {
      async evaluate(x, gradientInto) {
        const evaluation = await program.evaluate(x, gradientInto);
        check();
        return evaluation;
      },
      ...(evaluateLoss
        ? {
            async evaluateLoss(x: Float32Array) {
              const terms = await evaluateLoss(x);
              check();
              return terms;
            },
          }
        : {}),
      dispose: () => program.dispose(),
    };
  };
}

/** The error with the run's size among its details when memory ran out (the panel suggests a smaller one). */
function withSize(e: unknown, size: number): unknown {
  if (!(e instanceof ImpastoError) || e.code !== 'out-of-memory' || e.details.size !== undefined) return e;
  return new ImpastoError(e.code, e.message, { ...e.details, size }, { cause: e.cause ?? e });
}

/** An Engine over any compute path: option and layer checks up front, then the shared stylize loop. */
export function engineOn(path: ComputePath): Engine {
  let disposed = false;
  const makeProgram = faultChecked(path);
  return {
    backend: path.backend,
    unavailable: path.unavailable,
    ...(path.software ? { software: path.software } : {}),
    ...(path.threads ? { threads: path.threads } : {}),
    layers: path.layers,
    async stylize(request, callbacks) {
      if (disposed) throw new ImpastoError('internal', 'this engine was disposed');
      const checked = checkStylizeRequest(request); // once: runStylization takes the checked request as it is
      requireLayers(path.layers, layersNeeded(checked.options));
      try {
        // A fault between runs (a device lost while idle) leaves a runtime that cannot be trusted: start afresh.
        if (takeRuntimeFault()) path.broken?.();
        await path.activate();
        return await runStylization(checked, makeProgram, callbacks, {
          backend: path.backend,
          ...(path.hostMemory ? { host: path.hostMemory } : {}),
        });
      } catch (e) {
        const error = asComputeError(e, path.backend);
        // A runtime that died (a wasm abort, a fault) fails every later call: the next run starts a fresh one.
        if (error instanceof ImpastoError && error.details.fatal) path.broken?.();
        throw withSize(error, checked.options.size);
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
  const load = () => createVgg19(options.weights, { convGradient: choice.convGradient });
  let net = load();
  let broken = false;
  const hostMemory = options.hostMemory ?? deviceHostMemory();
  return engineOn({
    backend: choice.name,
    ...(hostMemory ? { hostMemory } : {}),
    unavailable: choice.unavailable,
    ...(choice.software ? { software: choice.software } : {}),
    layers: net.available,
    async activate() {
      if (broken) {
        // The runtime died with the network's tensors in it: a fresh backend instance, the weights uploaded again.
        await restartBackend(choice.name);
        net = load();
        broken = false;
      }
      if (tf.getBackend() !== choice.name) await tf.setBackend(choice.name);
      guardTfBackend(choice.name);
    },
    broken() {
      broken = true;
    },
    makeProgram: (spec, hooks) => createTfProgram(net, spec, choice.name, hooks),
    dispose: () => net.dispose(),
  });
}
