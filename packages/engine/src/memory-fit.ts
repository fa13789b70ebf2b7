/** Before a run: whether its optimiser fits the memory the run may use, with a quarter left for the loss. */
import { ImpastoError } from '@impasto/errors';
import { scaleToSide } from './image/resize.js';
import type { StylizeOptions } from './options.js';
import { DEFAULT_MAX_MEMORY, leastOptimizerMemory } from './stage-loop.js';

/** Memory a host offers runs that name none: a browser's share of the device. */
export interface HostMemory {
  readonly bytes: number;
  /** What the browser reports (navigator.deviceMemory, GB, rounded and capped by the browser). */
  readonly deviceGB: number;
}

/**
 * Half of the device's memory where the browser reports it (Chromium-based browsers, in pages and workers), at most
 * DEFAULT_MAX_MEMORY; undefined where it reports nothing (Node, Firefox, Safari).
 */
export function deviceHostMemory(): HostMemory | undefined {
  const deviceGB = (globalThis.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  if (typeof deviceGB !== 'number' || !(deviceGB > 0)) return undefined;
  return { bytes: Math.min(DEFAULT_MAX_MEMORY, (deviceGB * 1024 ** 3) / 2), deviceGB };
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

/**
 * Throws 'exceeds-memory' when the optimiser alone, at its least (L-BFGS with 3 pairs, or Adam), would take more
 * than three quarters of `memory` at the run's output size: the loss needs the last quarter, however small its tiles.
 * Sizes only, before any tensor exists. details.largestSide: the largest `size` that fits.
 */
export function checkRunFitsMemory(
  options: StylizeOptions,
  content: { readonly width: number; readonly height: number },
  memory: number,
  host?: HostMemory,
): void {
  const need = (side: number) => {
    const { width, height } = scaleToSide(content.width, content.height, side);
    return leastOptimizerMemory(options, width * height * 3);
  };
  const allowed = (memory * 3) / 4;
  const needBytes = need(options.size);
  if (needBytes <= allowed) return;
  let largestSide = Math.floor(options.size * Math.sqrt(allowed / needBytes));
  while (largestSide > 1 && need(largestSide) > allowed) largestSide--;
  const { width, height } = scaleToSide(content.width, content.height, options.size);
  const limit = host && options.maxMemory === null ? `half of this device's ${host.deviceGB} GB` : 'maxMemory';
  throw new ImpastoError(
    'exceeds-memory',
    `a ${width}x${height} result needs ${gb(needBytes)} for the optimiser alone, more than three quarters of the ${gb(memory)} the run may use (${limit}); the largest size that fits is ${largestSide} px`,
    {
      width,
      height,
      needBytes,
      memoryBytes: memory,
      largestSide,
      ...(host && options.maxMemory === null ? { deviceGB: host.deviceGB } : {}),
    },
  );
}
