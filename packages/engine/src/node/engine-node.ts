import { availableParallelism, totalmem } from 'node:os';
import { ImpastoError } from '@impasto/errors';
import { loadWeightsFromUrl, type Vgg19Weights, type WeightsProgress } from '@impasto/weights';
import { isUrl, loadWeightsFromDirectory } from '@impasto/weights/node';
import { createEngine, type Engine, engineOn } from '../engine.js';
import { type HostMemory, machineHostMemory } from '../memory/memory-policy.js';
import { createOnnxLossProgramFactory, type OnnxOptions, onnxAvailable } from '../onnx/index.js';
import type { BackendPreference } from '../tfjs/backend.js';
import { tf } from '../tfjs/tf.js';
import { useInstalledWasmBinaries } from './wasm-paths.js';

let configured = false;

/** Node's tfjs set-up, once: the wasm binaries' location, and production mode (no debug checks or banners). */
export function configureTfjsForNode(): void {
  if (configured) return;
  configured = true;
  useInstalledWasmBinaries();
  tf.env().set('PROD', true);
}

/** Loads weights from a directory or an http(s) URL. */
export function loadWeights(
  location: string,
  options: { onProgress?: WeightsProgress; signal?: AbortSignal } = {},
): Promise<Vgg19Weights> {
  return isUrl(location) ? loadWeightsFromUrl(location, options) : loadWeightsFromDirectory(location, options);
}

/** In Node, ONNX Runtime (the native CPU path, when onnxruntime-node is installed) joins the tfjs backends. */
export type NodeBackendPreference = BackendPreference | 'onnx';

export interface NodeEngineOptions {
  readonly weights: Vgg19Weights;
  /** 'auto': ONNX Runtime if it loads, else tfjs-wasm (with the fast conv gradient), else tfjs-cpu. */
  readonly backend?: NodeBackendPreference;
  /** ONNX Runtime's settings; its threads default to computeThreads(). */
  readonly onnx?: OnnxOptions;
}

/**
 * Threads a compute path may use: every core this process may run on. ONNX Runtime's own default is the physical
 * cores as it detects them, which on 2-vCPU cloud machines (one thread per core, AVX-512 EPYC) came out as one:
 * half the machine idle. tfjs-wasm in Node runs one thread whatever this says (its worker pool cannot start).
 */
export function computeThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Memory a Node run may use when its options name none: a share of this machine's (machineHostMemory). */
export function nodeHostMemory(): HostMemory {
  return machineHostMemory(totalmem());
}

const ONNX_MISSING =
  'onnxruntime-node is not installed or cannot load on this machine (install it with `pnpm install`; its CPU library ships inside the package), or choose --backend wasm';

/** createEngine for Node: the same Engine, on ONNX Runtime or tfjs. */
export async function createNodeEngine(options: NodeEngineOptions): Promise<Engine> {
  configureTfjsForNode();
  const preference = options.backend ?? 'auto';
  const hostMemory = nodeHostMemory();
  const unavailable: { name: string; reason: string }[] = [];
  if (preference === 'onnx' || preference === 'auto') {
    if (await onnxAvailable()) {
      const chosen = options.onnx?.threads;
      const onnx = { ...options.onnx, threads: chosen ?? computeThreads() };
      const factory = await createOnnxLossProgramFactory(options.weights, onnx);
      return engineOn({
        backend: 'onnx',
        hostMemory,
        threads: { count: onnx.threads, why: chosen ? 'as asked' : 'one per core this process may use' },
        unavailable,
        layers: options.weights.available,
        activate: async () => {},
        makeProgram: (spec, hooks) => factory.create(spec, hooks),
        dispose: () => void factory.dispose(),
      });
    }
    if (preference === 'onnx') throw new ImpastoError('backend-failed', ONNX_MISSING, { backend: 'onnx' });
    unavailable.push({ name: 'onnx', reason: 'onnxruntime-node is not installed' });
  }
  const engine = await createEngine({ weights: options.weights, backend: preference, hostMemory });
  return unavailable.length === 0 ? engine : { ...engine, unavailable: [...unavailable, ...engine.unavailable] };
}
