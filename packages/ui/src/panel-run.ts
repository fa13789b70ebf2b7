/**
 * One stylization as the panel runs it: start (engine, memory check, decoded styles, the engine's run), its
 * reports turned into state events, and how it ends: done, failed, or cancelled with the picture it had reached.
 */
import {
  checkRunFitsMemory,
  type EngineClient,
  type HostMemory,
  type RgbaImage,
  resolveOptions,
} from '@impasto/engine/browser';
import { cancelledError, isCancellation } from '@impasto/errors';
import { errorInWords } from './error-words.js';
import type { PanelEvent } from './panel-events.js';
import type { MessageKind, PanelContent, PanelResult, PanelState, PanelStateEvent, PanelStyle } from './panel-state.js';
import { type PanelSettings, toStylizeOptions } from './settings.js';

/** What a run needs from the controller around it. */
export interface RunContext {
  readonly state: () => PanelState;
  readonly dispatch: (event: PanelStateEvent) => void;
  readonly emit: (event: PanelEvent) => void;
  readonly showMessage: (text: string, kind?: MessageKind) => void;
  readonly engine: () => Promise<EngineClient>;
  readonly decode: (bytes: Uint8Array | Blob, name: string) => Promise<RgbaImage>;
  readonly encode?: ((image: RgbaImage) => Promise<Uint8Array>) | undefined;
  /** The memory runs may use, and where that limit comes from. */
  readonly memory: number;
  readonly host: HostMemory | null | undefined;
}

export interface RunRequest {
  readonly content: PanelContent;
  /** The styles that take part (weight above 0). */
  readonly styles: readonly PanelStyle[];
  readonly settings: PanelSettings;
}

/** The latest preview a run showed, for a cancelled run to offer. */
interface Reached {
  image: RgbaImage;
  iteration: number;
}

/** Runs one stylization to its end; the state and the events say how it ended. */
export async function runStylization(context: RunContext, request: RunRequest, signal: AbortSignal): Promise<void> {
  const reached: { latest: Reached | null } = { latest: null };
  context.dispatch({ type: 'run-started' });
  context.emit({ type: 'started', contentId: request.content.id });
  context.emit({ type: 'phase', phase: 'network' });
  try {
    await stylize(context, request, signal, reached);
  } catch (e) {
    if (isCancellation(e)) await endCancelled(context, reached.latest, request.content);
    else endFailed(context, request.settings.size, e);
  }
}

async function stylize(
  context: RunContext,
  request: RunRequest,
  signal: AbortSignal,
  reached: { latest: Reached | null },
) {
  const { dispatch, emit } = context;
  const phase = (event: Extract<PanelStateEvent, { type: 'run-phase' }>) => {
    dispatch(event);
    emit({ type: 'phase', phase: event.phase });
  };
  const client = await context.engine();
  if (signal.aborted) throw cancelledError(signal);
  // Refused here, before any work, when the memory model says the device cannot hold it (the engine checks too).
  const options = toStylizeOptions(request.settings, client.layers);
  const { image: content } = request.content;
  checkRunFitsMemory(resolveOptions(options), content, context.memory, client.backend, context.host ?? undefined);
  phase({ type: 'run-phase', phase: 'decoding' });
  const styles = await Promise.all(request.styles.map((s) => decodeStyle(context, s)));
  if (signal.aborted) throw cancelledError(signal);
  phase({ type: 'run-phase', phase: 'stylizing' });
  const { result, png } = await client.stylize(
    { content, styles, options },
    {
      signal,
      onPhase: (p) => phase({ type: 'run-phase', ...p }),
      onTile: (tile) => {
        if (context.state().run.status !== 'running') return;
        dispatch({ type: 'run-tile', tile });
        emit({ type: 'tile', tile });
      },
      onProgress: (progress) => {
        if (progress.preview) reached.latest = { image: progress.preview, iteration: progress.iteration };
        dispatch({ type: 'run-progress', progress });
        emit({ type: 'progress', progress });
      },
    },
  );
  const source = { id: request.content.id, name: request.content.name };
  const done: PanelResult = { png, width: result.image.width, height: result.image.height, content: source };
  const { iterations, elapsedMs, stopReason } = result;
  const run = { status: 'done', result: done, iterations, elapsedMs, stopReason } as const;
  dispatch({ type: 'run-done', run, image: result.image, size: request.settings.size });
  emit({ type: 'done', result: done });
}

async function decodeStyle(context: RunContext, style: PanelStyle) {
  return {
    image: style.image ?? (await context.decode(style.bytes, style.name)),
    weight: style.weight,
    ...(style.mask ? { mask: await context.decode(style.mask.bytes, style.mask.name) } : {}),
  };
}

async function endCancelled(context: RunContext, latest: Reached | null, content: PanelContent) {
  const partial = latest && context.encode ? await partialResult(context.encode, latest.image, content) : undefined;
  context.dispatch({
    type: 'run-cancelled',
    ...(partial && latest ? { reached: { partial, iteration: latest.iteration } } : {}),
  });
  context.showMessage(partial ? 'Cancelled: the picture so far can be kept.' : 'Cancelled.');
  context.emit({ type: 'cancelled' });
}

function endFailed(context: RunContext, size: number, error: unknown) {
  const message = errorInWords(error);
  context.dispatch({ type: 'run-failed', size, error });
  // A network that failed to load has said so already.
  if (context.state().engine.status !== 'failed') context.showMessage(message, 'error');
  context.emit({ type: 'failed', message, error });
}

/** The picture a cancelled run had reached, as PNG; none when it cannot be encoded. */
async function partialResult(
  encode: (image: RgbaImage) => Promise<Uint8Array>,
  image: RgbaImage,
  content: PanelContent,
): Promise<PanelResult | undefined> {
  try {
    const source = { id: content.id, name: content.name };
    return { png: await encode(image), width: image.width, height: image.height, content: source };
  } catch {
    return undefined;
  }
}

/** The panel's one run at a time: start (after the panel's own checks), cancel, and whether one is running. */
export interface RunSlot {
  start(): Promise<void>;
  cancel(): void;
}

export function createRunSlot(context: RunContext, contentNoun = 'photo'): RunSlot {
  let running: AbortController | null = null;
  return {
    async start() {
      if (running) return;
      const { content, styles, settings } = context.state();
      const taking = styles.filter((s) => s.weight > 0);
      if (!content) return context.showMessage(`Choose a ${contentNoun} first.`, 'error');
      if (taking.length === 0) return context.showMessage('Choose at least one style.', 'error');
      const run = new AbortController();
      running = run;
      try {
        await runStylization(context, { content, styles: taking, settings }, run.signal);
      } finally {
        running = null;
      }
    },
    cancel: () => running?.abort(),
  };
}
