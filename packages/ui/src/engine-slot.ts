/**
 * The panel's engine slot: at most one engine, started from the weights source and backend of the moment, replaced
 * (the old one disposed) when either changes. Reports of a replaced engine are ignored.
 */
import type { BrowserBackendPreference, EngineClient, Vgg19Weights, WeightsProgress } from '@impasto/engine/browser';
import type { EngineState } from './panel-state.js';

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

export interface EngineSlotOptions {
  readonly weights: WeightsSource;
  readonly startEngine: EngineStarter;
  /** The backend the next engine starts on (the settings' of the moment). */
  readonly backend: () => BrowserBackendPreference;
  /** Every change of the engine's state (loading, weights progress, ready, failed, idle). */
  readonly onState: (engine: EngineState) => void;
  readonly onReady: (engine: EngineState) => void;
  readonly onFailed: (error: unknown) => void;
}

export interface EngineSlot {
  /** The engine, started now if there is none. */
  load(): Promise<EngineClient>;
  /** Disposes the engine (if any); the next `load` starts a new one. */
  reset(): void;
  setWeights(source: WeightsSource): void;
}

export function createEngineSlot(options: EngineSlotOptions): EngineSlot {
  let source = options.weights;
  let engine: Promise<EngineClient> | null = null;
  /** Counts engine starts, so reports of a replaced one are ignored. */
  let generation = 0;

  function load(): Promise<EngineClient> {
    if (engine) return engine;
    const mine = ++generation;
    options.onState({ status: 'loading' });
    const onWeightsProgress: WeightsProgress = (loaded, total) => {
      if (mine === generation) options.onState({ status: 'loading', weights: { loaded, total } });
    };
    const starting = options.startEngine({ weights: source, backend: options.backend(), onWeightsProgress });
    engine = starting;
    starting.then(
      (client) => {
        if (mine !== generation) return void client.dispose();
        const ready = readyState(client);
        options.onState(ready);
        options.onReady(ready);
      },
      (error: unknown) => {
        if (mine !== generation) return;
        engine = null;
        options.onState({ status: 'failed' });
        options.onFailed(error);
      },
    );
    return starting;
  }

  function reset() {
    const old = engine;
    engine = null;
    generation++;
    options.onState({ status: 'idle' });
    void old?.then((e) => e.dispose()).catch(() => {});
  }

  return {
    load,
    reset,
    setWeights(next) {
      source = next;
      reset();
    },
  };
}

function readyState(client: EngineClient): EngineState {
  return {
    status: 'ready',
    backend: client.backend,
    unavailable: client.unavailable,
    ...(client.software ? { software: client.software } : {}),
    ...(client.threads ? { threads: client.threads } : {}),
    layers: client.layers,
    thread: client.thread,
  };
}
