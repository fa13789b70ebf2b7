/**
 * Tells a slow run from a hung one. A run beats as each unit of work begins (a phase, a tile, an evaluation); each
 * beat names the kind of work now under way and its size in pixels. The time a unit of a kind took so far, per pixel,
 * sets how long the next one of that kind may stay silent: `factor` times the time expected, never under `floorMs`.
 * A kind not yet timed in this run (GPU programs compile on their first use) gets `firstMs`, or, when that is more,
 * `factor` times what the slowest kind timed so far would take for it, thrice (a backward pass costs about as much as
 * three forward ones): a slow device has shown it is slow by then. Silence past the allowance calls `onStall` once.
 */

export interface WatchdogOptions {
  /** Never less silence than this before a stall (garbage collection, a busy machine). */
  readonly floorMs: number;
  /** Allowed silence, as a multiple of the expected time of the work under way. */
  readonly factor: number;
  /** Allowed silence for work of a kind not yet timed in this run. */
  readonly firstMs: number;
  /** The clock; default Date.now (tests use fake timers). */
  readonly now?: () => number;
}

/** A unit of work beginning. */
export interface Beat {
  /** What runs until the next beat: units of one kind cost alike per pixel (a targets tile, a gradient tile, …). */
  readonly kind: string;
  /** Pixels the unit works on (its tile's share of the image, or the image). */
  readonly pixels: number;
}

export interface Stall {
  /** The kind of work that went silent. */
  readonly kind: string;
  readonly silentMs: number;
  /** What the run's own times led the watchdog to expect for that work (undefined: none of its kind timed yet). */
  readonly expectedMs: number | undefined;
  readonly allowedMs: number;
}

export interface Watchdog {
  beat(beat: Beat): void;
  /** Stops watching (the run ended). */
  stop(): void;
}

/** How much more than the slowest work timed so far a kind not yet timed may cost, per pixel. */
const UNTIMED_WORK = 3;

export function createWatchdog(options: WatchdogOptions, onStall: (stall: Stall) => void): Watchdog {
  const now = options.now ?? Date.now;
  /** The slowest time per pixel each kind took so far. */
  const msPerPixel = new Map<string, number>();
  let current: { beat: Beat; at: number; allowedMs: number; expectedMs: number | undefined } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const check = () => {
    if (stopped || !current) return;
    const silentMs = now() - current.at;
    if (silentMs < current.allowedMs) {
      timer = setTimeout(check, current.allowedMs - silentMs);
      return;
    }
    stopped = true;
    const { beat, allowedMs, expectedMs } = current;
    onStall({ kind: beat.kind, silentMs, expectedMs, allowedMs });
  };

  return {
    beat(beat) {
      if (stopped) return;
      const at = now();
      if (current) {
        const rate = (at - current.at) / Math.max(1, current.beat.pixels);
        msPerPixel.set(current.beat.kind, Math.max(rate, msPerPixel.get(current.beat.kind) ?? 0));
      }
      const pixels = Math.max(1, beat.pixels);
      const rate = msPerPixel.get(beat.kind);
      const expectedMs = rate === undefined ? undefined : rate * pixels;
      const slowest = Math.max(0, ...msPerPixel.values());
      const allowedMs =
        expectedMs === undefined
          ? Math.max(options.firstMs, options.floorMs, options.factor * UNTIMED_WORK * slowest * pixels)
          : Math.max(options.floorMs, options.factor * expectedMs);
      current = { beat, at, allowedMs, expectedMs };
      clearTimeout(timer);
      timer = setTimeout(check, allowedMs);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
