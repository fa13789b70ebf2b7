/**
 * The panel without a DOM: settings, content, styles, the engine and runs as plain state (panel-state.ts, changed
 * only by `reduce`), and typed events (panel-events.ts). The view (panel.ts) renders the state; hosts subscribe to
 * the events. Everything that touches the browser (decoding, the engine, fetching examples) comes in through the
 * options, so the controller runs in Node tests as it is.
 */
import {
  checkImageFits,
  DEFAULT_MAX_MEMORY,
  deviceHostMemory,
  type EngineClient,
  type HostMemory,
  type ImageRole,
  LAYER_PRESETS,
  type RgbaImage,
} from '@impasto/engine/browser';
import { messageOf } from '@impasto/errors';
import { createEngineSlot, type EngineStarter, type WeightsSource } from './engine-slot.js';
import { errorInWords } from './error-words.js';
import { createPanelEmitter, type PanelEventOf, type PanelEventType } from './panel-events.js';
import { createRunSlot } from './panel-run.js';
import {
  initialPanelState,
  type MessageKind,
  type PanelState,
  type PanelStateEvent,
  reduce,
  type StyleMask,
} from './panel-state.js';
import { largestSizeFor, type PanelSettings, toStylizeOptions } from './settings.js';

export type { EngineStarter, WeightsLoader, WeightsSource } from './engine-slot.js';
export type { PanelEvent, PanelEventOf, PanelEventType } from './panel-events.js';
export type {
  EngineState,
  MessageKind,
  PanelContent,
  PanelResult,
  PanelState,
  PanelStyle,
  RunPhase,
  RunState,
} from './panel-state.js';

export interface ExampleStyle {
  readonly name: string;
  readonly url: string;
}

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
  /**
   * Reads and checks a photo at once; resolves true when it is now the content. `id` names where it came from (a
   * layer id) for the `started` event; default the name.
   */
  setContent(bytes: Uint8Array | Blob, name: string, id?: string): Promise<boolean>;
  /** Reads and checks a style image at once; resolves true when it was added. */
  addStyle(bytes: Uint8Array, name: string): Promise<boolean>;
  addExample(example: ExampleStyle): Promise<void>;
  removeStyle(id: number): void;
  setStyleWeight(id: number, weight: number): void;
  setStyleMask(id: number, mask: StyleMask | undefined): void;
  setWeights(source: WeightsSource): void;
  /** Starts the engine now (it starts by itself with the first run otherwise). */
  loadEngine(): Promise<EngineClient>;
  /** Runs a stylization; resolves when it is done, failed or cancelled (the events say which). */
  start(): Promise<void>;
  cancel(): void;
  showMessage(text: string, kind?: MessageKind): void;
  dispose(): void;
}

export function createPanelController(options: PanelControllerOptions): PanelController {
  const host = options.hostMemory === undefined ? deviceHostMemory() : options.hostMemory;
  const memory = host?.bytes ?? DEFAULT_MAX_MEMORY;
  const events = createPanelEmitter();
  const store = createStore(initialPanelState(options.settings), memory, events.emit);
  const { dispatch } = store;
  const showMessage = (text: string, kind: MessageKind = 'info') => {
    dispatch({ type: 'message', text, kind });
    events.emit({ type: 'message', text, kind });
  };
  const engine = createEngineSlot({
    weights: options.weights,
    startEngine: options.startEngine,
    backend: () => store.state().settings.backend,
    onState: (state) => dispatch({ type: 'engine', engine: state }),
    onReady: (state) => events.emit({ type: 'engine-ready', engine: state }),
    onFailed(error) {
      const message = `Could not load the network: ${errorInWords(error)}`;
      showMessage(message, 'error');
      events.emit({ type: 'engine-failed', message, error });
    },
  });
  const startEngineNow = () => void engine.load().catch(() => {});
  const { decode, encode } = options;
  const run = createRunSlot(
    { state: store.state, dispatch, emit: events.emit, showMessage, engine: engine.load, decode, encode, memory, host },
    options.contentNoun,
  );
  const read = (bytes: Uint8Array | Blob, name: string, role: ImageRole) =>
    readImage({ store, decode: options.decode, showMessage }, bytes, name, role);
  const inputs = createInputs({ store, read, showMessage, fetch: options.fetch, cancel: run.cancel });
  queueMicrotask(startEngineNow);

  return {
    state: store.state,
    on: events.on,
    updateSettings(patch) {
      const before = store.state().settings.backend;
      dispatch({ type: 'settings', patch });
      events.emit({ type: 'settings', settings: store.state().settings });
      if (store.state().settings.backend === before) return;
      engine.reset();
      startEngineNow();
    },
    ...inputs,
    setWeights(source) {
      engine.setWeights(source);
      showMessage('');
      startEngineNow();
    },
    loadEngine: engine.load,
    start: run.start,
    cancel: run.cancel,
    showMessage,
    dispose() {
      run.cancel();
      engine.reset();
      events.clear();
    },
  };
}

interface Store {
  state(): PanelState;
  dispatch(event: PanelStateEvent): void;
}

/** The layers a run will have: the engine's once it is ready, else the shallow set. */
const runLayers = (state: PanelState) =>
  state.engine.layers ?? [...LAYER_PRESETS.shallow.contentLayers, ...LAYER_PRESETS.shallow.styleLayers];

/** Holds the state: every event goes through `reduce`, the largest size follows, and the view hears of it. */
function createStore(
  initial: PanelState,
  memory: number,
  emit: (event: { type: 'change'; state: PanelState }) => void,
) {
  let state = initial;
  let sizedFor: unknown[] = [];
  /** The largest size by the memory model (on wasm until the engine says its backend), again when its inputs changed. */
  const largestSize = () => {
    const layers = runLayers(state);
    const backend = state.engine.backend ?? 'wasm';
    const inputs = [state.settings, state.engine.layers, backend, state.content];
    if (inputs.every((v, i) => v === sizedFor[i])) return state.sizes.largest;
    sizedFor = inputs;
    return largestSizeFor(state.settings, layers, backend, memory, state.content?.image ?? null);
  };
  state = reduce(state, { type: 'largest-size', largest: largestSize() });
  const store: Store = {
    state: () => state,
    dispatch(event) {
      state = reduce(state, event);
      const largest = largestSize();
      if (largest !== state.sizes.largest) state = reduce(state, { type: 'largest-size', largest });
      emit({ type: 'change', state });
    },
  };
  return store;
}

interface ReadContext {
  readonly store: Store;
  readonly decode: PanelControllerOptions['decode'];
  readonly showMessage: (text: string, kind?: MessageKind) => void;
}

/** Decodes and checks an image the moment it is chosen; an error message (and undefined) when it cannot run. */
async function readImage(context: ReadContext, bytes: Uint8Array | Blob, name: string, role: ImageRole) {
  const { store } = context;
  store.dispatch({ type: 'checking', name });
  try {
    const image = await context.decode(bytes, name);
    const state = store.state();
    const options = toStylizeOptions(state.settings, runLayers(state));
    checkImageFits(image, role, options, name, role === 'style' ? state.content?.image : undefined);
    return image;
  } catch (e) {
    context.showMessage(errorInWords(e), 'error');
    return undefined;
  } finally {
    store.dispatch({ type: 'checking', name: null });
  }
}

interface InputContext {
  readonly store: Store;
  readonly read: (bytes: Uint8Array | Blob, name: string, role: ImageRole) => Promise<RgbaImage | undefined>;
  readonly showMessage: (text: string, kind?: MessageKind) => void;
  readonly fetch: typeof fetch | undefined;
  /** Cancels a running run (a new photo makes its result stale). */
  readonly cancel: () => void;
}

/** What a person chooses: the photo, styles (uploads and examples), their weights and masks. */
function createInputs({ store, read, showMessage, fetch, cancel }: InputContext) {
  let nextStyleId = 1;
  const { dispatch } = store;
  async function addStyle(bytes: Uint8Array, name: string): Promise<boolean> {
    const image = await read(bytes, name, 'style');
    if (!image) return false;
    dispatch({ type: 'style-added', style: { id: nextStyleId++, name, bytes, weight: 50, image } });
    if (store.state().message.kind === 'error') showMessage('');
    return true;
  }
  return {
    async setContent(bytes: Uint8Array | Blob, name: string, id = name): Promise<boolean> {
      cancel();
      dispatch({ type: 'result-dropped' });
      const image = await read(bytes, name, 'content');
      if (!image) {
        // The old result is gone; the preview goes back to the photo still chosen.
        dispatch({ type: 'content-rejected' });
        return false;
      }
      dispatch({ type: 'content', content: { id, name, image } });
      showMessage('');
      return true;
    },
    addStyle,
    async addExample(example: ExampleStyle) {
      try {
        const response = await (fetch ?? globalThis.fetch)(example.url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await addStyle(new Uint8Array(await response.arrayBuffer()), example.name);
      } catch (e) {
        showMessage(`Could not load the example ${example.name}: ${messageOf(e)}`, 'error');
      }
    },
    removeStyle: (id: number) => dispatch({ type: 'style-removed', id }),
    setStyleWeight: (id: number, weight: number) => dispatch({ type: 'style-weight', id, weight }),
    setStyleMask: (id: number, mask: StyleMask | undefined) => dispatch({ type: 'style-mask', id, mask }),
  };
}
