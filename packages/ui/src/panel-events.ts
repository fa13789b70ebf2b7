/** The events a panel tells its hosts, and the small emitter that delivers them. */
import type { StylizeProgress, StylizeTileProgress } from '@impasto/engine/browser';
import type { EngineState, MessageKind, PanelResult, PanelState, RunPhase } from './panel-state.js';
import type { PanelSettings } from './settings.js';

export type PanelEvent =
  /** Any change of state (the view re-renders). */
  | { readonly type: 'change'; readonly state: PanelState }
  | { readonly type: 'settings'; readonly settings: PanelSettings }
  | { readonly type: 'engine-ready'; readonly engine: EngineState }
  | { readonly type: 'engine-failed'; readonly message: string; readonly error: unknown }
  /** A run passed its checks and began, on the content `contentId` names (the id given to setContent). */
  | { readonly type: 'started'; readonly contentId: string }
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

export interface PanelEmitter {
  on<T extends PanelEventType>(type: T, handler: (event: PanelEventOf<T>) => void): () => void;
  emit(event: PanelEvent): void;
  clear(): void;
}

export function createPanelEmitter(): PanelEmitter {
  const handlers = new Map<PanelEventType, Set<(event: PanelEvent) => void>>();
  return {
    on(type, handler) {
      const bucket = handlers.get(type) ?? new Set();
      handlers.set(type, bucket);
      const h = handler as (event: PanelEvent) => void;
      bucket.add(h);
      return () => void bucket.delete(h);
    },
    emit(event) {
      for (const handler of [...(handlers.get(event.type) ?? [])]) handler(event);
    },
    clear: () => handlers.clear(),
  };
}
