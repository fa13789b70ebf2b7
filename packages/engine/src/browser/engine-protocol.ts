/**
 * The messages between a page and its engine (a Web Worker, or a MessagePort on the page's own thread), over
 * @impasto/channel: the page's requests (load, stylize, memory) and events (prepare, cancel, dispose), the engine's
 * events (weights progress, a run's phases, progress, tiles and evaluations, runtime faults), each with the check
 * the receiving side applies. Errors cross as `WireError` (@impasto/errors); image buffers in results and previews
 * are transferred, not copied.
 */
import { type ChannelChecks, type Check, is, shape } from '@impasto/channel';
import type { WireError } from '@impasto/errors';
import { BACKENDS } from '../backend-names.js';
import type { ComputeBackend, ComputeThreads, Engine } from '../engine.js';
import type { RgbaImage } from '../image/rgba.js';
import type { ConvLayerName } from '../network/layers.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import type { StylizeOptions } from '../options.js';
import type {
  StylizePhase,
  StylizeProgress,
  StylizeResult,
  StylizeTileProgress,
  WeightedStyle,
} from '../run/stylize.js';
import type { RuntimeFault } from '../runtime-faults.js';
import type { WasmLocation } from '../wasm-location.js';
import type { BrowserBackendPreference } from './browser-engine.js';

export const ENGINE_CHANNEL = 'impasto-engine';
/** Raised whenever a message's shape changes: a page and a worker of different builds refuse each other. */
export const ENGINE_PROTOCOL_VERSION = 1;

export interface EngineStylizeRequest {
  readonly content: RgbaImage;
  readonly styles: readonly WeightedStyle[];
  readonly options: Partial<StylizeOptions>;
}

/** The memory an engine's runtimes hold: every wasm heap of its thread, and what tfjs counts on a GPU. */
export interface EngineMemory {
  /** Wasm heaps only grow: this is their peak so far. */
  readonly wasmHeapBytes: number;
  /** tfjs's GPU buffers or textures, live and kept for reuse (WebGL, WebGPU); 0 elsewhere. */
  readonly gpuBytes: number;
}

/** Starts the compute path while the page still readies the weights (sent first; `load` follows). */
export interface EnginePrepare {
  readonly backend: BrowserBackendPreference;
  readonly wasmPaths?: WasmLocation;
  readonly ortWasmThreads?: number;
}

/** Loads the weights (an absolute URL, or weights loaded, their buffers transferred) and starts a backend. */
export interface EngineLoad {
  readonly weights: string | Vgg19Weights;
  readonly backend: BrowserBackendPreference;
  readonly wasmPaths?: WasmLocation;
}

/** What a loaded engine runs on (the answer to `load`). */
export interface EngineReady {
  readonly backend: ComputeBackend;
  readonly unavailable: Engine['unavailable'];
  readonly software?: string;
  readonly threads?: ComputeThreads;
  readonly layers: readonly ConvLayerName[];
}

export interface EngineRun {
  readonly result: StylizeResult;
  readonly png: Uint8Array;
}

/** Page → engine. `run` numbers a stylization: its events and its `cancel` carry it. */
export type PageToEngine = {
  readonly requests: {
    readonly load: { readonly payload: EngineLoad; readonly reply: EngineReady };
    readonly stylize: {
      readonly payload: { readonly run: number; readonly request: EngineStylizeRequest };
      readonly reply: EngineRun;
    };
    /** Answered between runs: a busy engine answers late. */
    readonly memory: { readonly payload: undefined; readonly reply: EngineMemory };
  };
  readonly events: {
    readonly prepare: EnginePrepare;
    readonly cancel: { readonly run: number };
    readonly dispose: undefined;
  };
};

/** Engine → page. */
export type EngineToPage = {
  readonly requests: Record<never, never>;
  readonly events: {
    readonly 'weights-progress': { readonly loaded: number; readonly total: number };
    readonly phase: { readonly run: number; readonly phase: StylizePhase };
    readonly progress: { readonly run: number; readonly progress: StylizeProgress };
    /** Only from a tiled run: each tile before it runs. */
    readonly tile: { readonly run: number; readonly tile: StylizeTileProgress };
    /** After each loss-and-gradient evaluation: a heartbeat, so the page can tell a slow run from a hung one. */
    readonly evaluation: { readonly run: number; readonly evaluations: number };
    /** A failure inside a kernel, sent the moment it is seen: the engine may never answer again. */
    readonly fault: RuntimeFault;
  };
};

const isImage = shape<RgbaImage>({
  width: is.count,
  height: is.count,
  data: (v) => v instanceof Uint8Array || v instanceof Uint8ClampedArray,
});
const isWasmLocation = is.either(is.string, is.record);
const isBackend: Check<BrowserBackendPreference> = is.oneOf('auto', 'ort-wasm', ...BACKENDS);
const isWeights = is.either(
  is.string,
  shape<Vgg19Weights>({ available: is.arrayOf(is.string), layers: (v) => v instanceof Map }),
);
/** A run's id beside one more field, itself a plain object the engine's types describe. */
const withRun = <T extends object>(field: keyof T & string, check: (v: unknown) => boolean): Check<T> =>
  ((v: unknown) => is.record(v) && is.count(v.run) && check(v[field])) as Check<T>;

const isSkipped = shape<Engine['unavailable'][number]>({
  name: is.string,
  reason: is.string,
  software: is.optional(is.string),
});

export const isWireError = shape<WireError>({ code: is.text, message: is.string, details: is.record });

/** What the engine accepts from the page. */
export const PAGE_TO_ENGINE_CHECKS: ChannelChecks<EngineToPage, PageToEngine> = {
  requests: {
    load: shape<EngineLoad>({ weights: isWeights, backend: isBackend, wasmPaths: is.optional(isWasmLocation) }),
    stylize: withRun('request', (r) => is.record(r) && isImage(r.content) && is.arrayOf(is.record)(r.styles)),
    memory: is.nothing,
  },
  events: {
    prepare: shape<EnginePrepare>({
      backend: isBackend,
      wasmPaths: is.optional(isWasmLocation),
      ortWasmThreads: is.optional(is.count),
    }),
    cancel: shape<{ run: number }>({ run: is.count }),
    dispose: is.nothing,
  },
  replies: {},
};

/** What the page accepts from the engine. */
export const ENGINE_TO_PAGE_CHECKS: ChannelChecks<PageToEngine, EngineToPage> = {
  requests: {},
  events: {
    'weights-progress': shape<{ loaded: number; total: number }>({ loaded: is.count, total: is.count }),
    phase: withRun('phase', (p) => is.record(p) && is.oneOf('style-targets', 'first-iteration')(p.phase)),
    progress: withRun('progress', (p) => is.record(p) && is.count(p.iteration) && is.count(p.iterations)),
    tile: withRun('tile', (t) => is.record(t) && is.count(t.tile) && is.count(t.tiles) && is.string(t.pass)),
    evaluation: withRun('evaluations', is.count),
    fault: shape<RuntimeFault>({ kind: is.oneOf('memory', 'device-lost', 'kernel'), message: is.string }),
  },
  replies: {
    load: shape<EngineReady>({
      backend: is.string as Check<ComputeBackend>,
      unavailable: is.arrayOf(isSkipped),
      software: is.optional(is.string),
      threads: is.optional(is.record),
      layers: is.arrayOf(is.string) as Check<readonly ConvLayerName[]>,
    }),
    stylize: shape<EngineRun>({
      result: (r) => is.record(r) && isImage(r.image) && is.count(r.iterations),
      png: is.bytes,
    }),
    memory: shape<EngineMemory>({ wasmHeapBytes: is.count, gpuBytes: is.count }),
  },
};

/** The buffers of weights loaded on the page, to transfer with them (each once: a list may not repeat one). */
export function weightsTransfer(weights: string | Vgg19Weights): ArrayBuffer[] {
  if (typeof weights === 'string') return [];
  const buffers = new Set<ArrayBuffer>();
  for (const { kernel, bias } of weights.layers.values()) {
    for (const array of [kernel, bias]) if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return [...buffers];
}

/** The buffer behind a view, when the view is all of it (so transferring it loses nothing else). */
export function transferable(view: ArrayBufferView | undefined): ArrayBuffer[] {
  if (!view || !(view.buffer instanceof ArrayBuffer)) return [];
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? [view.buffer] : [];
}
