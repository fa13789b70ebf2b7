/**
 * The panel without a DOM: settings, content, styles, the engine and runs as plain state, and typed events. The
 * view (panel.ts) renders the state; hosts subscribe to the events. Everything that touches the browser (decoding,
 * the engine, fetching examples) comes in through the options, so the controller runs in Node tests as it is.
 */
import {
  type BrowserBackendPreference,
  type ComputeThreads,
  type ConvLayerName,
  checkImageFits,
  checkRunFitsMemory,
  DEFAULT_MAX_MEMORY,
  deviceHostMemory,
  type EngineClient,
  type EngineThread,
  type HostMemory,
  type ImageRole,
  LAYER_PRESETS,
  type RgbaImage,
  resolveOptions,
  type StageInfo,
  type StopReason,
  type StylizeProgress,
  type StylizeTileProgress,
  type Vgg19Weights,
  type WeightsProgress,
} from '@impasto/engine/browser';
import { isCancellation, isImpastoError } from '@impasto/errors';
import { errorInWords } from './error-words.js';
import { largestSizeFor, type PanelSettings, sanitizeSettings, toStylizeOptions } from './settings.js';

/** A host's own weights loader (a folder the visitor picked, a cache); report bytes to show the progress bar. */
export type WeightsLoader = (onProgress: WeightsProgress) => Promise<Vgg19Weights>;
export type WeightsSource = string | WeightsLoader;

/** Starts an engine (in a Web Worker where one can start). */
export type EngineStarter = (request: {
  /** A URL, or the host's loader: the engine calls it once per start (a restarted worker too) and moves the result in. */
  readonly weights: WeightsSource;
  readonly backend: BrowserBackendPreference;
  readonly onWeightsProgress: WeightsProgress;
}) => Promise<EngineClient>;

export interface PanelResult {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface ExampleStyle {
  readonly name: string;
  readonly url: string;
}

export interface PanelStyle {
  /** Stable while the style is chosen (views key thumbnails by it). */
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Relative blend weight, 0–100; 0 leaves the style out of a run. */
  readonly weight: number;
  /** Where on the result this style applies (white: here; drawn over the content); none: everywhere. */
  readonly mask?: { readonly name: string; readonly bytes: Uint8Array };
  /** The decoded image, checked when the style was added. */
  readonly image?: RgbaImage;
}

export type MessageKind = 'info' | 'error';

export interface EngineState {
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  /** Weights bytes loaded so far and in all, while loading. */
  readonly weights?: { readonly loaded: number; readonly total: number };
  readonly backend?: string;
  readonly unavailable?: readonly { readonly name: string; readonly reason: string; readonly software?: string }[];
  /** Set when the backend in use runs on a software graphics adapter: the adapter's words. */
  readonly software?: string;
  /** Set where the path chooses its thread count (ort-wasm): how many, and why. */
  readonly threads?: ComputeThreads;
  /** The conv layers the weights provide (which layer set runs follows from them). */
  readonly layers?: readonly ConvLayerName[];
  readonly thread?: EngineThread;
}

/**
 * What a run is doing: waiting for the network, decoding the styles, computing a stage's style targets, running
 * a stage's first iteration (slow on a GPU while it compiles), optimising.
 */
export type RunPhase = 'network' | 'decoding' | 'style-targets' | 'first-iteration' | 'stylizing';

export type RunState =
  | { readonly status: 'idle' | 'failed' }
  /** `partial`: the picture the run had reached, when it had shown one. */
  | { readonly status: 'cancelled'; readonly partial?: PanelResult; readonly iteration?: number }
  | {
      readonly status: 'running';
      readonly phase: RunPhase;
      readonly stage?: StageInfo;
      readonly progress?: StylizeProgress;
      /** The tile running now when the image is tiled (one evaluation takes minutes); the next phase or progress clears it. */
      readonly tile?: StylizeTileProgress;
    }
  | {
      readonly status: 'done';
      readonly result: PanelResult;
      readonly iterations: number;
      readonly elapsedMs: number;
      /** Whether the picture stopped changing ('converged') or the run used all its iterations. */
      readonly stopReason: Exclude<StopReason, 'cancelled'>;
    };

export interface PanelState {
  readonly settings: PanelSettings;
  readonly content: { readonly name: string; readonly image: RgbaImage } | null;
  readonly styles: readonly PanelStyle[];
  readonly engine: EngineState;
  readonly run: RunState;
  /** What the preview shows: the content, then the run's previews, then its result. */
  readonly preview: RgbaImage | null;
  /** A file being read and checked right now (its name), for a busy sign. */
  readonly checking: string | null;
  readonly message: { readonly text: string; readonly kind: MessageKind };
  /**
   * What this device can run: `largest`, the largest size by the engine's memory model on its compute path (larger
   * ones are refused before they start; the size menu marks them); `failed`, the smallest size that ran out of
   * memory or stalled here (marked too), else null.
   */
  readonly sizes: { readonly largest: number; readonly failed: number | null };
}

export type PanelEvent =
  /** Any change of state (the view re-renders). */
  | { readonly type: 'change'; readonly state: PanelState }
  | { readonly type: 'settings'; readonly settings: PanelSettings }
  | { readonly type: 'engine-ready'; readonly engine: EngineState }
  | { readonly type: 'engine-failed'; readonly message: string; readonly error: unknown }
  /** A run passed its checks and began. */
  | { readonly type: 'started' }
  | { readonly type: 'phase'; readonly phase: RunPhase }
  | { readonly type: 'progress'; readonly progress: StylizeProgress }
  /** A tile of a tiled image's evaluation begins (only when the image is tiled). */
  | { readonly type: 'tile'; readonly tile: StylizeTileProgress }
  | { readonly type: 'done'; readonly result: PanelResult }
  | { readonly type: 'failed'; readonly message: string; readonly error: unknown }
  | { readonly type: 'cancelled' }
  /** Every message the panel shows (errors included, e.g. for a host's own notifications). */
  | { readonly type: 'message'; readonly text: string; readonly kind: MessageKind };

export type PanelEventType = PanelEvent['type'];
export type PanelEventOf<T extends PanelEventType> = Extract<PanelEvent, { type: T }>;

export interface PanelControllerOptions {
  /** Base URL of the weights folder, or a loader (e.g. a folder the visitor picked). */
  readonly weights: WeightsSource;
  readonly startEngine: EngineStarter;
  /** Image bytes to RGBA (the browser's decoder in a page); `name` appears in its errors. */
  readonly decode: (bytes: Uint8Array | Blob, name: string) => Promise<RgbaImage>;
  /** RGBA to PNG bytes, for the picture a cancelled run had reached; without it, a cancelled run offers nothing. */
  readonly encode?: (image: RgbaImage) => Promise<Uint8Array>;
  readonly settings?: Partial<PanelSettings>;
  /** Words for the thing being stylized in messages ("photo", "layer", "image"); default "photo". */
  readonly contentNoun?: string;
  /** For the examples; default the global fetch. */
  readonly fetch?: typeof fetch;
  /** The memory runs may use: default half of what the browser reports (memory-policy.ts), else the engine's default. */
  readonly hostMemory?: HostMemory | null;
}

export interface PanelController {
  state(): PanelState;
  /** Calls `handler` for every event of `type`; returns the unsubscribe function. */
  on<T extends PanelEventType>(type: T, handler: (event: PanelEventOf<T>) => void): () => void;
  updateSettings(patch: Partial<PanelSettings>): void;
  /** Reads and checks a photo at once; resolves true when it is now the content. */
  setContent(bytes: Uint8Array | Blob, name: string): Promise<boolean>;
  /** Reads and checks a style image at once; resolves true when it was added. */
  addStyle(bytes: Uint8Array, name: string): Promise<boolean>;
  addExample(example: ExampleStyle): Promise<void>;
  removeStyle(id: number): void;
  setStyleWeight(id: number, weight: number): void;
  setStyleMask(id: number, mask: { name: string; bytes: Uint8Array } | undefined): void;
  setWeights(source: WeightsSource): void;
  /** Starts the engine now (it starts by itself with the first run otherwise). */
  loadEngine(): Promise<EngineClient>;
  /** Runs a stylization; resolves when it is done, failed or cancelled (the events say which). */
  start(): Promise<void>;
  cancel(): void;
  showMessage(text: string, kind?: MessageKind): void;
  dispose(): void;
}

const cancelled = () => Object.assign(new Error('cancelled'), { name: 'AbortError' });

export function createPanelController(options: PanelControllerOptions): PanelController {
  const host = options.hostMemory === undefined ? deviceHostMemory() : options.hostMemory;
  const memory = host?.bytes ?? DEFAULT_MAX_MEMORY;
  let state: PanelState = {
    settings: sanitizeSettings({ ...options.settings }),
    content: null,
    styles: [],
    engine: { status: 'idle' },
    run: { status: 'idle' },
    preview: null,
    checking: null,
    message: { text: '', kind: 'info' },
    sizes: { largest: Number.POSITIVE_INFINITY, failed: null },
  };
  let weightsSource = options.weights;
  let engine: Promise<EngineClient> | null = null;
  /** Counts engine starts, so reports of a replaced one are ignored. */
  let generation = 0;
  let running: AbortController | null = null;
  let nextStyleId = 1;
  const handlers = new Map<PanelEventType, Set<(event: PanelEvent) => void>>();

  const emit = (event: PanelEvent) => {
    for (const handler of [...(handlers.get(event.type) ?? [])]) handler(event);
  };
  /** The layers and backend a run will have: the engine's once it is ready, else the shallow set on wasm. */
  const runsOn = () => ({
    layers: state.engine.layers ?? [...LAYER_PRESETS.shallow.contentLayers, ...LAYER_PRESETS.shallow.styleLayers],
    backend: state.engine.backend ?? 'wasm',
  });
  let sizedFor: unknown[] = [];
  /** The largest size by the memory model, again when what it depends on changed. */
  const largestSize = () => {
    const { layers, backend } = runsOn();
    const inputs = [state.settings, layers, backend, state.content];
    if (inputs.every((v, i) => v === sizedFor[i])) return state.sizes.largest;
    sizedFor = inputs;
    return largestSizeFor(state.settings, layers, backend, memory, state.content?.image ?? null);
  };
  const set = (patch: Partial<PanelState>) => {
    state = { ...state, ...patch };
    const largest = largestSize();
    if (largest !== state.sizes.largest) state = { ...state, sizes: { ...state.sizes, largest } };
    emit({ type: 'change', state });
  };
  state = { ...state, sizes: { largest: largestSize(), failed: null } };
  /** A run at `size` ended: one that ran out of memory or stalled marks it; one that finished clears what it passed. */
  const ranAt = (size: number, error?: unknown) => {
    const { failed } = state.sizes;
    const tooLarge = isImpastoError(error) && (error.code === 'out-of-memory' || error.code === 'stalled');
    if (tooLarge) set({ sizes: { ...state.sizes, failed: Math.min(failed ?? size, size) } });
    else if (!error && failed !== null && size >= failed) set({ sizes: { ...state.sizes, failed: null } });
  };
  const showMessage = (text: string, kind: MessageKind = 'info') => {
    set({ message: { text, kind } });
    emit({ type: 'message', text, kind });
  };
  const updateStyle = (id: number, change: (s: PanelStyle) => PanelStyle) =>
    set({ styles: state.styles.map((s) => (s.id === id ? change(s) : s)) });

  function resetEngine() {
    const old = engine;
    engine = null;
    generation++;
    set({ engine: { status: 'idle' } });
    void old?.then((e) => e.dispose()).catch(() => {});
  }

  function loadEngine(): Promise<EngineClient> {
    if (engine) return engine;
    const source = weightsSource;
    const backend = state.settings.backend;
    const mine = ++generation;
    set({ engine: { status: 'loading' } });
    const onWeightsProgress: WeightsProgress = (loaded, total) => {
      if (mine === generation) set({ engine: { status: 'loading', weights: { loaded, total } } });
    };
    const starting = options.startEngine({ weights: source, backend, onWeightsProgress });
    engine = starting;
    starting.then(
      (client) => {
        if (mine !== generation) return void client.dispose();
        const ready: EngineState = {
          status: 'ready',
          backend: client.backend,
          unavailable: client.unavailable,
          ...(client.software ? { software: client.software } : {}),
          ...(client.threads ? { threads: client.threads } : {}),
          layers: client.layers,
          thread: client.thread,
        };
        set({ engine: ready });
        emit({ type: 'engine-ready', engine: ready });
      },
      (error: unknown) => {
        if (mine !== generation) return;
        engine = null;
        const message = `Could not load the network: ${errorInWords(error)}`;
        set({ engine: { status: 'failed' } });
        showMessage(message, 'error');
        emit({ type: 'engine-failed', message, error });
      },
    );
    return starting;
  }

  /** The run options as far as they are known now: the engine's layers once it is ready, else the shallow set. */
  const knownOptions = () => {
    const available = state.engine.layers ?? [
      ...LAYER_PRESETS.shallow.contentLayers,
      ...LAYER_PRESETS.shallow.styleLayers,
    ];
    return toStylizeOptions(state.settings, available);
  };

  /** Decodes and checks an image the moment it is chosen; an error message (and undefined) when it cannot run. */
  async function readImage(bytes: Uint8Array | Blob, name: string, role: ImageRole): Promise<RgbaImage | undefined> {
    set({ checking: name });
    try {
      const image = await options.decode(bytes, name);
      checkImageFits(image, role, knownOptions(), name, role === 'style' ? state.content?.image : undefined);
      return image;
    } catch (e) {
      showMessage(errorInWords(e), 'error');
      return undefined;
    } finally {
      set({ checking: null });
    }
  }

  /** A result no longer matches the inputs: it goes (a running run is cancelled). */
  function dropResult() {
    running?.abort();
    if (state.run.status !== 'running') set({ run: { status: 'idle' } });
  }

  async function setContent(bytes: Uint8Array | Blob, name: string): Promise<boolean> {
    dropResult();
    const image = await readImage(bytes, name, 'content');
    if (!image) {
      // The old result is gone; the preview goes back to the photo still chosen.
      set({ preview: state.content?.image ?? null });
      return false;
    }
    set({ content: { image, name }, preview: image });
    showMessage('');
    return true;
  }

  async function addStyle(bytes: Uint8Array, name: string): Promise<boolean> {
    const image = await readImage(bytes, name, 'style');
    if (!image) return false;
    set({ styles: [...state.styles, { id: nextStyleId++, name, bytes, weight: 50, image }] });
    if (state.message.kind === 'error') showMessage('');
    return true;
  }

  async function start() {
    if (running) return;
    const { content } = state;
    const styles = state.styles.filter((s) => s.weight > 0);
    if (!content) return showMessage(`Choose a ${options.contentNoun ?? 'photo'} first.`, 'error');
    if (styles.length === 0) return showMessage('Choose at least one style.', 'error');
    const run = new AbortController();
    running = run;
    let latest = null as { image: RgbaImage; iteration: number } | null;
    const phase = (p: RunPhase, stage?: StageInfo) => {
      set({ run: { status: 'running', phase: p, ...(stage ? { stage } : {}) } });
      emit({ type: 'phase', phase: p });
    };
    set({ run: { status: 'running', phase: 'network' }, message: { text: '', kind: 'info' } });
    emit({ type: 'started' });
    emit({ type: 'phase', phase: 'network' });
    const settings = state.settings;
    try {
      const client = await loadEngine();
      if (run.signal.aborted) throw cancelled();
      // Refused here, before any work, when the memory model says the device cannot hold it (the engine checks too).
      const stylizeOptions = toStylizeOptions(settings, client.layers);
      checkRunFitsMemory(resolveOptions(stylizeOptions), content.image, memory, client.backend, host ?? undefined);
      phase('decoding');
      const decoded = await Promise.all(
        styles.map(async (s) => ({
          image: s.image ?? (await options.decode(s.bytes, s.name)),
          weight: s.weight,
          ...(s.mask ? { mask: await options.decode(s.mask.bytes, s.mask.name) } : {}),
        })),
      );
      if (run.signal.aborted) throw cancelled();
      phase('stylizing');
      const { result, png } = await client.stylize(
        { content: content.image, styles: decoded, options: stylizeOptions },
        {
          signal: run.signal,
          onPhase: (p) => phase(p.phase, p.stage),
          onTile: (tile) => {
            if (state.run.status !== 'running') return;
            set({ run: { ...state.run, stage: tile.stage, tile } });
            emit({ type: 'tile', tile });
          },
          onProgress: (progress) => {
            if (progress.preview) latest = { image: progress.preview, iteration: progress.iteration };
            set({
              run: {
                status: 'running',
                phase: 'stylizing',
                progress,
                ...(progress.stage ? { stage: progress.stage } : {}),
              },
              ...(progress.preview ? { preview: progress.preview } : {}),
            });
            emit({ type: 'progress', progress });
          },
        },
      );
      const done: PanelResult = { png, width: result.image.width, height: result.image.height };
      set({
        run: {
          status: 'done',
          result: done,
          iterations: result.iterations,
          elapsedMs: result.elapsedMs,
          stopReason: result.stopReason,
        },
        preview: result.image,
      });
      emit({ type: 'done', result: done });
      ranAt(settings.size);
    } catch (e) {
      if (isCancellation(e)) {
        const partial = latest && options.encode ? await partialResult(latest.image) : undefined;
        set({
          run:
            partial && latest ? { status: 'cancelled', partial, iteration: latest.iteration } : { status: 'cancelled' },
        });
        showMessage(partial ? 'Cancelled: the picture so far can be kept.' : 'Cancelled.');
        emit({ type: 'cancelled' });
      } else {
        const message = errorInWords(e);
        set({ run: { status: 'failed' } });
        ranAt(settings.size, e);
        // A network that failed to load has said so already.
        if (state.engine.status !== 'failed') showMessage(message, 'error');
        emit({ type: 'failed', message, error: e });
      }
    } finally {
      running = null;
    }
  }

  async function partialResult(image: RgbaImage): Promise<PanelResult | undefined> {
    try {
      const png = await (options.encode as (image: RgbaImage) => Promise<Uint8Array>)(image);
      return { png, width: image.width, height: image.height };
    } catch {
      return undefined;
    }
  }

  queueMicrotask(() => void loadEngine().catch(() => {}));

  return {
    state: () => state,
    on(type, handler) {
      const bucket = handlers.get(type) ?? new Set();
      handlers.set(type, bucket);
      const h = handler as (event: PanelEvent) => void;
      bucket.add(h);
      return () => void bucket.delete(h);
    },
    updateSettings(patch) {
      const before = state.settings.backend;
      set({ settings: sanitizeSettings({ ...state.settings, ...patch }) });
      emit({ type: 'settings', settings: state.settings });
      if (state.settings.backend === before) return;
      resetEngine();
      void loadEngine().catch(() => {});
    },
    setContent,
    addStyle,
    async addExample(example) {
      try {
        const response = await (options.fetch ?? fetch)(example.url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await addStyle(new Uint8Array(await response.arrayBuffer()), example.name);
      } catch (e) {
        showMessage(`Could not load the example ${example.name}: ${(e as Error).message}`, 'error');
      }
    },
    removeStyle: (id) => set({ styles: state.styles.filter((s) => s.id !== id) }),
    setStyleWeight: (id, weight) =>
      updateStyle(id, (s) => ({ ...s, weight: Math.min(100, Math.max(0, Math.round(weight))) })),
    setStyleMask: (id, mask) =>
      updateStyle(id, (s) => {
        const { mask: _old, ...rest } = s;
        return mask ? { ...rest, mask } : rest;
      }),
    setWeights(source) {
      weightsSource = source;
      resetEngine();
      showMessage('');
      void loadEngine().catch(() => {});
    },
    loadEngine,
    start,
    cancel: () => running?.abort(),
    showMessage,
    dispose() {
      running?.abort();
      resetEngine();
      handlers.clear();
    },
  };
}
