/**
 * ONNX Runtime for browsers: onnxruntime-web's WebAssembly build (SIMD; threads where the page is cross-origin
 * isolated) runs the same graphs as Node's onnxruntime-node, inside the engine worker. Only the plain wasm build is
 * used (`onnxruntime-web/wasm`: its JavaScript glue is bundled; no JSEP/WebGPU variant), and one binary,
 * `ort-wasm-simd-threaded.wasm`, which the host serves (or inlines) beside the engine.
 */
import * as ortWeb from 'onnxruntime-web/wasm';
import { PATH_MEMORY, type PathMemory } from '../memory/memory-policy.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import type { WasmLocation } from '../wasm-location.js';
import { GraphBuilder } from './graph-builder.js';
import { createOrtLossProgramFactory, type OnnxLossProgramFactory } from './onnx-loss-program.js';
import type { OrtModule } from './ort-runtime.js';
import { ORT_WASM_FILES } from './ort-web-files.js';
import type { ConvAlgorithm } from './vgg-graph.js';

export { ORT_WASM_FILES };

/** The ort-wasm path's memory: its row in memory-policy.ts (a wasm32 heap, 2.75 GiB for a pass by default). */
export const ORT_WASM_MEMORY = PATH_MEMORY['ort-wasm'] as PathMemory;

/**
 * What a registry of compute paths needs to know of this one: its name, where `auto` tries it (after a hardware
 * GPU, before tfjs's wasm and cpu backends) and its memory.
 */
export const ORT_WASM_PATH = { name: 'ort-wasm', priority: 30, memory: ORT_WASM_MEMORY } as const;

/** How many threads the runtime runs, and why. */
export interface OrtWasmThreads {
  readonly count: number;
  readonly why: string;
}

interface ThreadScope {
  readonly crossOriginIsolated?: boolean;
  readonly navigator?: { readonly hardwareConcurrency?: number };
  /** Present on a page's main thread, absent in a worker. */
  readonly document?: unknown;
}

/**
 * One thread per core where the page is cross-origin isolated (threads share a SharedArrayBuffer), the engine runs
 * in a worker (a page's main thread may not block on its threads) and the glue module that starts them can be
 * imported; one thread elsewhere.
 */
export function ortWasmThreads(location: WasmLocation, scope: ThreadScope = globalThis as ThreadScope): OrtWasmThreads {
  const cores = Math.max(1, scope.navigator?.hardwareConcurrency ?? 1);
  if (!scope.crossOriginIsolated) {
    return { count: 1, why: 'one thread: the page is not cross-origin isolated, so WebAssembly has no shared memory' };
  }
  if (scope.document !== undefined) return { count: 1, why: "one thread: the engine runs on the page's main thread" };
  if (typeof location !== 'string' && !location[ORT_WASM_FILES.glue]) {
    return { count: 1, why: `one thread: the host gives no ${ORT_WASM_FILES.glue} to start threads from` };
  }
  if (cores === 1) return { count: 1, why: 'one thread: this device reports one core' };
  return { count: cores, why: `${cores} threads, one per core (the page is cross-origin isolated)` };
}

function fileUrl(location: WasmLocation, file: string): string | undefined {
  return typeof location === 'string' ? `${location}${file}` : location[file];
}

/** A running onnxruntime-web and the threads it runs. */
export interface OrtWasmRuntime {
  readonly ort: OrtModule;
  readonly threads: OrtWasmThreads;
}

let started: { readonly threads: number; readonly runtime: Promise<OrtWasmRuntime> } | null = null;

/** A one-node graph: creating its session loads and compiles the runtime's WebAssembly. */
function probeModel(): Uint8Array {
  const g = new GraphBuilder('probe');
  g.output('y', g.op('Relu', [g.input('x', [1])]), [1]);
  return g.toBytes();
}

/**
 * Starts onnxruntime-web (once per worker: its WebAssembly cannot start twice) with `threads` (default: see
 * ortWasmThreads) and proves it runs. Rejects with the runtime's reason when its binary cannot be fetched or
 * compiled (a CSP without 'wasm-unsafe-eval', no SIMD); the path is then unavailable in this worker.
 */
export function startOrtWasm(location: WasmLocation, threads?: number): Promise<OrtWasmRuntime> {
  const plan = threads ? { count: threads, why: `${threads} thread${threads > 1 ? 's' : ''}, as asked` } : undefined;
  const chosen = plan ?? ortWasmThreads(location);
  if (started) {
    if (started.threads !== chosen.count) {
      return Promise.reject(new Error(`onnxruntime-web already runs ${started.threads} thread(s) in this worker`));
    }
    return started.runtime;
  }
  const wasm = fileUrl(location, ORT_WASM_FILES.wasm);
  const glue = fileUrl(location, ORT_WASM_FILES.glue);
  const runtime = (async () => {
    if (!wasm) throw new Error(`the host gives no URL for ${ORT_WASM_FILES.wasm}`);
    const { env } = ortWeb;
    env.logLevel = 'error';
    env.wasm.numThreads = chosen.count;
    env.wasm.proxy = false;
    // Threads start from the glue module's URL; one thread runs the glue bundled into the engine.
    env.wasm.wasmPaths = chosen.count > 1 && glue ? { wasm, mjs: glue } : { wasm };
    const probe = await ortWeb.InferenceSession.create(probeModel(), { executionProviders: ['cpu'] });
    await probe.release();
    return { ort: ortWeb as unknown as OrtModule, threads: chosen };
  })();
  started = { threads: chosen.count, runtime };
  return runtime;
}

/** ONNX Runtime's graph optimisation level in the browser (measured: README of this folder). */
export type OrtWasmGraphOptimization = 'basic' | 'extended' | 'all';

/** Loss programs on a started onnxruntime-web, sessions per spec shape as in Node. */
export function createOrtWasmLossProgramFactory(
  runtime: OrtWasmRuntime,
  weights: Vgg19Weights,
  options: { readonly graphOptimization?: OrtWasmGraphOptimization; readonly conv?: ConvAlgorithm } = {},
): OnnxLossProgramFactory {
  return createOrtLossProgramFactory(runtime.ort, weights, {
    label: ORT_WASM_PATH.name,
    memory: ORT_WASM_MEMORY,
    tileArena: false,
    conv: options.conv ?? 'winograd-4x4',
    tileConv: 'direct',
    sessionOptions: {
      // 'cpu' is onnxruntime-web's WebAssembly provider (and onnxruntime-node's CPU one, which the tests use).
      executionProviders: ['cpu'],
      graphOptimizationLevel: options.graphOptimization ?? 'all',
      executionMode: 'sequential',
      logSeverityLevel: 3,
    },
  });
}
