/**
 * The engine in a browser, on the best compute path there: a hardware GPU through tfjs (WebGPU, else WebGL);
 * without one (no adapter, or a software one such as SwiftShader), ONNX Runtime's WebAssembly (`ort-wasm`, the same
 * graphs as Node's ONNX path); where that cannot start, what tfjs has (its wasm backend where a host registers it,
 * a software GPU, plain JavaScript).
 */
import { ImpastoError, isImpastoError, messageOf } from '@impasto/errors';
import { createEngine, type Engine, engineOn } from '../engine.js';
import { deviceHostMemory } from '../memory/memory-policy.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { createOrtWasmLossProgramFactory, ORT_WASM_PATH, type OrtWasmRuntime, startOrtWasm } from '../onnx/ort-web.js';
import { type AdapterProbe, browserAdapterProbe } from '../tfjs/adapter-probe.js';
import { type BackendChoice, type BackendPreference, type SkippedBackend, selectBackend } from '../tfjs/backend.js';
import type { WasmLocation } from '../wasm-location.js';

/** In browsers, ONNX Runtime's WebAssembly joins the tfjs backends. */
export type BrowserBackendPreference = BackendPreference | typeof ORT_WASM_PATH.name;

export interface BrowserPlanOptions {
  readonly backend?: BrowserBackendPreference;
  /** Where the engine's .wasm files are (ort-wasm's, and tfjs-wasm's where a host registers that backend). */
  readonly wasmPaths?: WasmLocation;
  /** ort-wasm's thread count (default: one per core where the page is cross-origin isolated, else one). */
  readonly ortWasmThreads?: number;
  readonly probe?: AdapterProbe;
  /** Starts onnxruntime-web (a parameter for tests). */
  readonly startOrt?: (location: WasmLocation, threads?: number) => Promise<OrtWasmRuntime>;
}

/** The compute path a browser engine will run, started (the runtime loaded), before the weights arrive. */
export type BrowserPlan =
  | { readonly kind: 'ort-wasm'; readonly runtime: OrtWasmRuntime; readonly unavailable: readonly SkippedBackend[] }
  | { readonly kind: 'tfjs'; readonly choice: BackendChoice };

async function startOrtPath(options: BrowserPlanOptions): Promise<OrtWasmRuntime> {
  if (!options.wasmPaths) throw new Error('the host gives no location for the WebAssembly files');
  return (options.startOrt ?? startOrtWasm)(options.wasmPaths, options.ortWasmThreads);
}

/**
 * Starts the path `backend` names, or for 'auto' the best one here: a hardware GPU, else ort-wasm, else tfjs's
 * best. A named path that cannot start is a 'backend-failed' error saying why.
 */
export async function planBrowserEngine(options: BrowserPlanOptions = {}): Promise<BrowserPlan> {
  const preference = options.backend ?? 'auto';
  const probe = options.probe ?? browserAdapterProbe;
  if (preference === ORT_WASM_PATH.name) {
    try {
      return { kind: 'ort-wasm', runtime: await startOrtPath(options), unavailable: [] };
    } catch (e) {
      const why = `ONNX Runtime's WebAssembly could not start: ${messageOf(e)}`;
      throw new ImpastoError('backend-failed', why, { backend: ORT_WASM_PATH.name }, { cause: e });
    }
  }
  if (preference !== 'auto') return { kind: 'tfjs', choice: await selectBackend(preference, probe) };
  let passedOver: SkippedBackend[];
  try {
    const gpu = await selectBackend('auto', probe, { candidates: ['webgpu', 'webgl'], passOverSoftware: true });
    return { kind: 'tfjs', choice: gpu };
  } catch (e) {
    if (!isImpastoError(e)) throw e;
    passedOver = (e.details.unavailable ?? []) as SkippedBackend[];
  }
  try {
    return { kind: 'ort-wasm', runtime: await startOrtPath(options), unavailable: passedOver };
  } catch (e) {
    const ortSkipped: SkippedBackend = { name: ORT_WASM_PATH.name, reason: messageOf(e) };
    const choice = await selectBackend('auto', probe);
    return { kind: 'tfjs', choice: { ...choice, unavailable: [ortSkipped, ...choice.unavailable] } };
  }
}

/** An engine on ort-wasm: the ONNX loss programs, sessions per spec shape, the weights in the wasm heap. */
function ortWasmEngine(weights: Vgg19Weights, plan: Extract<BrowserPlan, { kind: 'ort-wasm' }>): Engine {
  const factory = createOrtWasmLossProgramFactory(plan.runtime, weights);
  const hostMemory = deviceHostMemory();
  let broken = false;
  return engineOn({
    backend: ORT_WASM_PATH.name,
    unavailable: plan.unavailable,
    threads: plan.runtime.threads,
    ...(hostMemory ? { hostMemory } : {}),
    layers: weights.available,
    async activate() {
      // onnxruntime-web cannot start its WebAssembly twice in one worker: after an abort only a new worker helps.
      if (broken) {
        const why = "ONNX Runtime's WebAssembly stopped after an error; reload to start it again";
        throw new ImpastoError('backend-failed', why, { backend: ORT_WASM_PATH.name, stopped: true });
      }
    },
    broken() {
      broken = true;
    },
    makeProgram: (spec, hooks) => factory.create(spec, hooks),
    dispose: () => void factory.dispose(),
  });
}

/** The engine for a started plan. */
export async function engineFromPlan(plan: BrowserPlan, weights: Vgg19Weights): Promise<Engine> {
  if (plan.kind === 'ort-wasm') return ortWasmEngine(weights, plan);
  const engine = await createEngine({ weights, backend: plan.choice.name });
  const unavailable = [...plan.choice.unavailable, ...engine.unavailable];
  return unavailable.length === engine.unavailable.length ? engine : { ...engine, unavailable };
}

/** createEngine for browsers: the same Engine, on a GPU through tfjs or on ONNX Runtime's WebAssembly. */
export async function createBrowserEngine(options: BrowserPlanOptions & { readonly weights: Vgg19Weights }) {
  return engineFromPlan(await planBrowserEngine(options), options.weights);
}
