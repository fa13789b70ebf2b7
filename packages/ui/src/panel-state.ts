/**
 * The panel's state as plain data and `reduce`, the one place it changes: a pure function from a state and what
 * happened to the next state. The controller dispatches; the view renders; tests call `reduce` on its own.
 */
import type {
  ComputeThreads,
  ConvLayerName,
  EngineThread,
  RgbaImage,
  StageInfo,
  StopReason,
  StylizeProgress,
  StylizeTileProgress,
} from '@impasto/engine/browser';
import { isImpastoError } from '@impasto/errors';
import { type PanelSettings, sanitizeSettings } from './settings.js';

export interface PanelResult {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The content it was made from: the id and name given to setContent. */
  readonly content: { readonly id: string; readonly name: string };
}

export interface PanelStyle {
  /** Stable while the style is chosen (views key thumbnails by it). */
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Relative blend weight, 0–100; 0 leaves the style out of a run. */
  readonly weight: number;
  /** Where on the result this style applies (white: here; drawn over the content); none: everywhere. */
  readonly mask?: StyleMask;
  /** The decoded image, checked when the style was added. */
  readonly image?: RgbaImage;
}

export interface StyleMask {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The photo being stylized; `id` is the host's name for where it came from (a layer id), else its file name. */
export interface PanelContent {
  readonly id: string;
  readonly name: string;
  readonly image: RgbaImage;
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
  readonly content: PanelContent | null;
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

type DoneRun = Extract<RunState, { status: 'done' }>;

/** What happened, as `reduce` takes it. */
export type PanelStateEvent =
  | { readonly type: 'settings'; readonly patch: Partial<PanelSettings> }
  | { readonly type: 'engine'; readonly engine: EngineState }
  | { readonly type: 'checking'; readonly name: string | null }
  | { readonly type: 'content'; readonly content: PanelContent }
  /** A photo was rejected: the preview goes back to the photo still chosen. */
  | { readonly type: 'content-rejected' }
  | { readonly type: 'style-added'; readonly style: PanelStyle }
  | { readonly type: 'style-removed'; readonly id: number }
  | { readonly type: 'style-weight'; readonly id: number; readonly weight: number }
  | { readonly type: 'style-mask'; readonly id: number; readonly mask: StyleMask | undefined }
  | { readonly type: 'message'; readonly text: string; readonly kind: MessageKind }
  | { readonly type: 'largest-size'; readonly largest: number }
  /** A result no longer matches the inputs: it goes (a running run is cancelled by its owner). */
  | { readonly type: 'result-dropped' }
  | { readonly type: 'run-started' }
  | { readonly type: 'run-phase'; readonly phase: RunPhase; readonly stage?: StageInfo }
  | { readonly type: 'run-tile'; readonly tile: StylizeTileProgress }
  | { readonly type: 'run-progress'; readonly progress: StylizeProgress }
  | { readonly type: 'run-done'; readonly run: DoneRun; readonly image: RgbaImage; readonly size: number }
  | { readonly type: 'run-failed'; readonly size: number; readonly error: unknown }
  /** `reached`: the picture the run had reached, when it had shown one and it could be encoded. */
  | {
      readonly type: 'run-cancelled';
      readonly reached?: { readonly partial: PanelResult; readonly iteration: number };
    };

export function initialPanelState(settings: Partial<PanelSettings> = {}): PanelState {
  return {
    settings: sanitizeSettings({ ...settings }),
    content: null,
    styles: [],
    engine: { status: 'idle' },
    run: { status: 'idle' },
    preview: null,
    checking: null,
    message: { text: '', kind: 'info' },
    sizes: { largest: Number.POSITIVE_INFINITY, failed: null },
  };
}

export function reduce(state: PanelState, event: PanelStateEvent): PanelState {
  switch (event.type) {
    case 'settings':
      return { ...state, settings: sanitizeSettings({ ...state.settings, ...event.patch }) };
    case 'engine':
      return { ...state, engine: event.engine };
    case 'checking':
      return { ...state, checking: event.name };
    case 'content':
      return { ...state, content: event.content, preview: event.content.image };
    case 'content-rejected':
      return { ...state, preview: state.content?.image ?? null };
    case 'message':
      return { ...state, message: { text: event.text, kind: event.kind } };
    case 'largest-size':
      return { ...state, sizes: { ...state.sizes, largest: event.largest } };
    case 'result-dropped':
      return state.run.status === 'running' ? state : { ...state, run: { status: 'idle' } };
    default:
      return reduceStyles(state, event) ?? reduceRun(state, event);
  }
}

function reduceStyles(state: PanelState, event: PanelStateEvent): PanelState | undefined {
  const update = (id: number, change: (s: PanelStyle) => PanelStyle) => ({
    ...state,
    styles: state.styles.map((s) => (s.id === id ? change(s) : s)),
  });
  switch (event.type) {
    case 'style-added':
      return { ...state, styles: [...state.styles, event.style] };
    case 'style-removed':
      return { ...state, styles: state.styles.filter((s) => s.id !== event.id) };
    case 'style-weight':
      return update(event.id, (s) => ({ ...s, weight: Math.min(100, Math.max(0, Math.round(event.weight))) }));
    case 'style-mask':
      return update(event.id, ({ mask: _old, ...rest }) => (event.mask ? { ...rest, mask: event.mask } : rest));
    default:
      return undefined;
  }
}

function reduceRun(state: PanelState, event: PanelStateEvent): PanelState {
  switch (event.type) {
    case 'run-started':
      return { ...state, run: { status: 'running', phase: 'network' }, message: { text: '', kind: 'info' } };
    case 'run-phase':
      return {
        ...state,
        run: { status: 'running', phase: event.phase, ...(event.stage ? { stage: event.stage } : {}) },
      };
    case 'run-tile':
      if (state.run.status !== 'running') return state;
      return { ...state, run: { ...state.run, stage: event.tile.stage, tile: event.tile } };
    case 'run-progress': {
      const { progress } = event;
      const run = { status: 'running', phase: 'stylizing', progress } as const;
      return {
        ...state,
        run: progress.stage ? { ...run, stage: progress.stage } : run,
        ...(progress.preview ? { preview: progress.preview } : {}),
      };
    }
    case 'run-done':
      return { ...state, run: event.run, preview: event.image, sizes: ranAt(state.sizes, event.size) };
    case 'run-failed':
      return { ...state, run: { status: 'failed' }, sizes: ranAt(state.sizes, event.size, event.error) };
    case 'run-cancelled':
      return { ...state, run: { status: 'cancelled', ...event.reached } };
    default:
      return state;
  }
}

/** A run at `size` ended: one that ran out of memory or stalled marks it; one that finished clears what it passed. */
function ranAt(sizes: PanelState['sizes'], size: number, error?: unknown): PanelState['sizes'] {
  const tooLarge = isImpastoError(error) && (error.code === 'out-of-memory' || error.code === 'stalled');
  if (tooLarge) return { ...sizes, failed: Math.min(sizes.failed ?? size, size) };
  if (!error && sizes.failed !== null && size >= sizes.failed) return { ...sizes, failed: null };
  return sizes;
}
