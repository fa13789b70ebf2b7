/**
 * Memory policy: the one place that decides how much memory a run may use, where it lives, how large a tile one
 * loss pass may compute on each compute path, and which sizes a device cannot run at all (refused before any work,
 * with the largest size that fits). The model and the measurements behind each path's numbers are in
 * memory-policy.md; `pnpm --filter @impasto/engine measure-memory --paths NAME` measures a path again.
 *
 * The model. A run holds, in the page's (or process's) own memory, the optimiser's float32 vectors, a few more
 * image-sized buffers, and (when tiled) the content image's features at its content layers. One pass of the loss
 * (forward + backward over a tile, or the whole image) holds `passFactor` times its float32 activations
 * (activationBytesPerPixel × pixels), on top of what the runtime holds anyway (`fixedBytes`, and `weightFactor` times
 * the weights of the layers it runs: packed and transposed copies); a path whose tiled passes hold differently says
 * so in `tiles`. Where the pass lives
 * in the page's memory (a wasm heap, tfjs-cpu) it shares the run's memory with the optimiser; on a GPU it has the
 * GPU's, whose size no browser reports, so a default is assumed. Hard limits cap a tile whatever the budget: a wasm32
 * heap's 4 GiB, the largest WebGL texture, the largest WebGPU buffer.
 */
import { ImpastoError } from '@impasto/errors';
import { scaleToSide } from '../image/resize.js';
import { type ConvLayerName, convChannels, layersUpTo, poolsBefore } from '../network/layers.js';
import type { StylizeOptions } from '../options.js';
import { activationBytesPerPixel, lossBudget, type TilingChoice } from '../tiling/budget.js';
import { minimumTileSide } from '../tiling/plan.js';
import { DEFAULT_MAX_MEMORY, leastOptimizerMemory } from './optimizer-memory.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** How one compute path spends memory (the numbers are measured: memory-policy.md). */
export interface PathMemory {
  /** Peak bytes of one forward + backward pass per byte of its float32 activations, above `fixedBytes`. */
  readonly passFactor: number;
  /** Bytes the runtime holds besides a pass and the weights: its own buffers. */
  readonly fixedBytes: number;
  /** Bytes the runtime holds per byte of the float32 weights of the layers a pass runs (copies, packed forms). */
  readonly weightFactor: number;
  /**
   * The most one pass (with `fixedBytes`) may hold when the run names no maxMemory: on a GPU an assumption about its
   * memory (and no more than a quarter of the run's memory); in a wasm heap a share of its ceiling that leaves room
   * for fragmentation and growth steps.
   */
  readonly defaultBytes: number;
  /**
   * True where passes compute in the page's (or process's) own memory, beside the optimiser's vectors: they get what
   * those leave of the run's memory. False where they have memory of their own (a GPU's).
   */
  readonly sharesOptimizerMemory: boolean;
  /** The tensor that meets a device limit first: a conv's output, or WebGL's packed im2col matrix of its input. */
  readonly largestTensor: 'activations' | 'im2col';
  /** Where passes live in a wasm32 heap: its ceiling (a pass may take HEAP_SHARE of it, whatever the budget). */
  readonly heapLimitBytes?: number;
  /**
   * Where a tiled pass holds differently from an untiled one, its figures (ort-wasm: the untiled graph's Winograd
   * kernels are 4x the tile graphs' direct ones): used for the tiles once the image does not fit untiled.
   */
  readonly tiles?: TiledPassMemory;
  /** Where the numbers come from. */
  readonly measured: string;
}

/** A tiled pass's own figures, where they differ from the untiled pass's. */
export type TiledPassMemory = Pick<PathMemory, 'passFactor' | 'fixedBytes' | 'weightFactor'>;

/** A wasm32 heap stops growing here (emscripten's getHeapMax: 4 GiB less one 64 KiB page). */
export const WASM32_HEAP_LIMIT = 4 * GiB - 64 * 1024;

/**
 * Per compute path, by the name the engine reports (`engine.backend`). A new path adds a row from
 * `measure-memory --paths NAME` (its fitted passFactor and fixed bytes).
 */
export const PATH_MEMORY: Readonly<Record<string, PathMemory>> = {
  wasm: {
    passFactor: 9.5,
    fixedBytes: 48 * MiB,
    weightFactor: 8,
    defaultBytes: 2.5 * GiB,
    sharesOptimizerMemory: true,
    largestTensor: 'activations',
    heapLimitBytes: WASM32_HEAP_LIMIT,
    measured: 'tfjs-wasm 4.22 (threaded SIMD) in Chromium: wasm heap, 128–512 px untiled and in tiles, both layer sets',
  },
  webgl: {
    passFactor: 15,
    fixedBytes: 64 * MiB,
    weightFactor: 1.3,
    defaultBytes: 1 * GiB,
    sharesOptimizerMemory: false,
    largestTensor: 'im2col',
    measured:
      'tfjs-webgl 4.22 on SwiftShader in Chromium: tfjs texture bytes (freed ones kept for reuse) at 128–384 px',
  },
  webgpu: {
    passFactor: 8.5,
    fixedBytes: 16 * MiB,
    weightFactor: 1.2,
    defaultBytes: 1 * GiB,
    sharesOptimizerMemory: false,
    largestTensor: 'activations',
    measured: 'tfjs-webgpu 4.22 on SwiftShader in Chromium: tfjs buffer bytes at 128–256 px',
  },
  onnx: {
    // Node: maxMemory counts the optimiser and the loss's passes, not the process's own baseline. With Winograd on
    // the wide layers (ort-node.ts, NODE_CONV) a pass held 3.2 × its activations above the sessions' own bytes
    // (1024 px untiled, shallow layers; 1.1 with direct convs); tiles (NODE_TILE_CONV, Winograd on the forward pass
    // only) at 2048 px peaked at 3.7 GiB RSS, process included, for a 4.8 GiB budget (4.9 GiB with the gradient's too).
    passFactor: 4,
    fixedBytes: 0,
    weightFactor: 0,
    defaultBytes: DEFAULT_MAX_MEMORY,
    sharesOptimizerMemory: true,
    largestTensor: 'activations',
    measured: 'onnxruntime-node 1.30, peak RSS at 512–4096 px (README: bench:tiling); its loss tiles by onnx/',
  },
  'ort-wasm': {
    // The untiled loss graph's F(4x4) Winograd kernels (onnx/conv-winograd.ts): 4x the weights forward and again
    // backward, and the model's bytes beside them while a session is built, so weights ×16.6 at the heap's peak.
    // Tile graphs run direct convs without the arena and hold far less: `tiles` (fitted 2.29, 34 MiB, 2.46).
    // The build's peak and the pass's do not add up (the heap reuses the model's bytes), so the envelope is loose:
    // 512 px paper layers untiled, 2570 MiB by the row, took 1812 MiB; the default lets that size run untiled.
    passFactor: 5.8,
    fixedBytes: 48 * MiB,
    weightFactor: 17,
    tiles: { passFactor: 2.3, fixedBytes: 48 * MiB, weightFactor: 2.5 },
    defaultBytes: 2.75 * GiB,
    sharesOptimizerMemory: true,
    largestTensor: 'activations',
    heapLimitBytes: WASM32_HEAP_LIMIT,
    measured:
      'onnxruntime-web 1.30 (2 threads) in Chromium: wasm heap, 128–512 px untiled and 384–768 px in tiles, both layer sets',
  },
  cpu: {
    passFactor: 9.5,
    fixedBytes: 48 * MiB,
    weightFactor: 8,
    defaultBytes: 1 * GiB,
    sharesOptimizerMemory: true,
    largestTensor: 'activations',
    measured: 'not measured: taken as tfjs-wasm (the same tape, in JavaScript arrays)',
  },
};

/** Bytes of the float32 weights (kernels and biases) of every conv layer a pass over `layers` runs. */
export function weightBytes(layers: readonly ConvLayerName[]): number {
  let bytes = 0;
  for (const layer of layersUpTo(layers)) {
    if (layer.kind === 'conv') bytes += 4 * (9 * layer.inChannels + 1) * layer.outChannels;
  }
  return bytes;
}

/** What the runtime of `path` (or of its tiled passes) holds besides a pass over `layers`. */
export function runtimeBytes(path: TiledPassMemory, layers: readonly ConvLayerName[]): number {
  return path.fixedBytes + path.weightFactor * weightBytes(layers);
}

/** A path's row: its own, a row given as it is (tests, experiments), else tfjs-wasm's with 1 GiB (cautious). */
export function pathMemory(backend: string | PathMemory): PathMemory {
  if (typeof backend !== 'string') return backend;
  return (
    PATH_MEMORY[backend] ?? {
      ...(PATH_MEMORY.wasm as PathMemory),
      defaultBytes: 1 * GiB,
      measured: `no measurement for ${backend}: taken as tfjs-wasm with 1 GiB`,
    }
  );
}

/** Limits of the device a GPU path runs on (read from it when the backend starts). */
export interface DeviceLimits {
  /** WebGL: the largest texture side (a texture holds at most its square of texels). */
  readonly maxTextureSize?: number;
  /** WebGPU: the largest buffer a shader may bind, bytes. */
  readonly maxBufferBytes?: number;
}

/**
 * Per image pixel, the elements (WebGPU: float32 values; WebGL: texels) of the largest tensor a pass over `layers`
 * makes: a conv's input or output, or on WebGL the packed im2col matrix of its input (9 × channels, 4 to a texel).
 */
export function largestTensorPerPixel(layers: readonly ConvLayerName[], kind: PathMemory['largestTensor']): number {
  let largest = 0;
  for (const layer of layersUpTo(layers)) {
    if (layer.kind !== 'conv') continue;
    const area = 4 ** poolsBefore(layer.name);
    largest = Math.max(largest, Math.max(layer.inChannels, layer.outChannels) / area);
    if (kind === 'im2col') largest = Math.max(largest, (9 * layer.inChannels) / 4 / area);
  }
  return largest;
}

/** The most pixels one tile may have for its largest tensor to fit the device; Infinity without limits. */
export function maxTilePixels(layers: readonly ConvLayerName[], path: PathMemory, device: DeviceLimits = {}): number {
  const perPixel = largestTensorPerPixel(layers, path.largestTensor);
  const texels = device.maxTextureSize ? device.maxTextureSize ** 2 : Number.POSITIVE_INFINITY;
  const values = device.maxBufferBytes ? device.maxBufferBytes / 4 : Number.POSITIVE_INFINITY;
  return Math.min(texels, values) / perPixel;
}

/** What a loss on a path needs to know to size its tiles (a LossSpec has these). */
export interface PassMemorySpec {
  /** Bytes the run may hold, named by the options (absent: the path's default for the pass). */
  readonly maxMemory?: number;
  /** Bytes the whole run may hold (the options', else the host's share of the device, else the default). */
  readonly runMemory?: number;
  /** Bytes the run holds in the page's own memory besides the pass (runBytes). */
  readonly reservedMemory?: number;
}

/**
 * The budget of one pass on `backend` and its factor, for tiling/budget.ts's chooseTileSide: the path's (or the
 * options') bytes less what the runtime holds anyway; where passes share the page's memory, no more than what the run
 * leaves them (and in a wasm heap, no more than its ceiling allows); never a tile whose largest tensor exceeds the
 * device's limits.
 */
export function passTiling(
  backend: string | PathMemory,
  spec: PassMemorySpec,
  layers: readonly ConvLayerName[],
  device: DeviceLimits = {},
): TilingChoice {
  const path = pathMemory(backend);
  let bytes = spec.maxMemory ?? path.defaultBytes;
  if (path.sharesOptimizerMemory) {
    const total = spec.maxMemory ?? spec.runMemory ?? DEFAULT_MAX_MEMORY;
    bytes = Math.min(bytes, lossBudget(total, spec.reservedMemory ?? 0));
  } else if (spec.maxMemory === undefined && spec.runMemory !== undefined) {
    // No browser says how much memory its GPU has: a device with less memory is taken to have a smaller GPU too.
    bytes = Math.min(bytes, spec.runMemory / GPU_SHARE_OF_RUN);
  }
  if (path.heapLimitBytes) bytes = Math.min(bytes, path.heapLimitBytes * HEAP_SHARE);
  const choice = (pass: TiledPassMemory) => ({
    budget: Math.min(
      Math.max(bytes - runtimeBytes(pass, layers), 0),
      maxTilePixels(layers, path, device) * activationBytesPerPixel(layers) * pass.passFactor,
    ),
    passFactor: pass.passFactor,
  });
  return path.tiles ? { ...choice(path), tiled: choice(path.tiles) } : choice(path);
}

/** A pass may take this share of a wasm32 heap's ceiling: the rest absorbs fragmentation and growth steps. */
const HEAP_SHARE = 0.75;

/** A GPU pass takes at most the run's memory over this (a quarter of half the device, where the browser says). */
const GPU_SHARE_OF_RUN = 4;

/**
 * Image-sized float32 buffers a run holds in the page's memory besides the optimiser's: the content image, a style
 * image, and a tiled evaluation's gradient sum.
 */
const IMAGE_BUFFERS = 3;

/** Bytes per output pixel of the content image's features at `contentLayers` (kept for every tile when tiled). */
function contentFeatureBytesPerPixel(contentLayers: readonly ConvLayerName[]): number {
  return contentLayers.reduce((sum, l) => sum + (convChannels(l).outChannels * 4) / 4 ** poolsBefore(l), 0);
}

/**
 * Bytes a run at `pixels` holds in the page's memory besides its passes: its optimiser at its least, and `besides`
 * it (image buffers, content features).
 */
export function runBytes(
  options: StylizeOptions,
  pixels: number,
): { total: number; optimizer: number; besides: number } {
  const optimizer = leastOptimizerMemory(options, pixels * 3);
  const besides = IMAGE_BUFFERS * 4 * 3 * pixels + contentFeatureBytesPerPixel(options.contentLayers) * pixels;
  return { total: optimizer + besides, optimizer, besides };
}

/** Memory a host offers runs that name none: a browser's share of the device, or Node's of the machine. */
export interface HostMemory {
  readonly bytes: number;
  /** The device's memory, GB: what the browser reports (navigator.deviceMemory, rounded and capped), or the machine's. */
  readonly deviceGB: number;
  /** 'machine': Node's share of the machine's memory (machineHostMemory); absent: a browser's share of the device. */
  readonly of?: 'machine';
}

/** A Node run that names no maxMemory may use this share of the machine's memory (but at least DEFAULT_MAX_MEMORY). */
const MACHINE_SHARE = 5;

/**
 * What Node offers runs that name no maxMemory: a fifth of the machine's memory, at least DEFAULT_MAX_MEMORY. A
 * 24 GB machine gives a run 4.8 GB, which fits 4096x3072 in tiles (4 GB does not); a small one keeps the default.
 * A fifth leaves the process's own memory and the rest of the machine room: a run's peak RSS stays near its budget.
 */
export function machineHostMemory(totalBytes: number): HostMemory {
  const bytes = Math.max(DEFAULT_MAX_MEMORY, Math.floor(totalBytes / MACHINE_SHARE));
  return { bytes, deviceGB: Math.round((totalBytes / GiB) * 10) / 10, of: 'machine' };
}

/** How a host's memory follows from its device's, in an error's words. */
function hostShare(host: HostMemory): string {
  if (host.of !== 'machine') return `half of this device's ${host.deviceGB} GB`;
  const fifth = `a fifth of this machine's ${host.deviceGB} GB`;
  return host.bytes > DEFAULT_MAX_MEMORY ? fifth : `the default, more than ${fifth}`;
}

/**
 * Half of the device's memory where the browser reports it (Chromium-based browsers, in pages and workers), at most
 * DEFAULT_MAX_MEMORY; undefined where it reports nothing (Node, Firefox, Safari).
 */
export function deviceHostMemory(): HostMemory | undefined {
  const deviceGB = (globalThis.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  if (typeof deviceGB !== 'number' || !(deviceGB > 0)) return undefined;
  return { bytes: Math.min(DEFAULT_MAX_MEMORY, (deviceGB * GiB) / 2), deviceGB };
}

/**
 * The memory a run at `side` needs on `backend`, bytes: its share of the page's memory (runBytes) may be at most
 * three quarters of it (the rest is the page's and the loss's); where passes share the page's memory, that share
 * plus the runtime and one pass over the smallest tile the layers allow must fit all of it. (A run that fits only
 * in small tiles is slow, not refused.)
 */
function runNeed(
  options: StylizeOptions,
  content: { width: number; height: number },
  side: number,
  backend: string | PathMemory,
) {
  const { width, height } = scaleToSide(content.width, content.height, side);
  const pixels = width * height;
  const run = runBytes(options, pixels);
  const path = pathMemory(backend);
  const layers = [...options.contentLayers, ...options.styleLayers];
  const smallest = (p: TiledPassMemory, px: number) =>
    runtimeBytes(p, layers) + p.passFactor * activationBytesPerPixel(layers) * px;
  const tile = minimumTileSide(layers) ** 2;
  // Untiled where the image is no larger than the least tile; else that tile, by the tiled figures where they differ.
  const least = pixels <= tile ? smallest(path, pixels) : smallest(path.tiles ?? path, tile);
  const pass = path.sharesOptimizerMemory ? least : 0;
  return { width, height, optimizer: run.optimizer, bytes: Math.max((run.total * 4) / 3, run.total + pass) };
}

/**
 * The largest `size` (longest side, px) at which a run of `options` over `content` fits `memory` on `backend`, or
 * `options.size` itself when it fits. Sizes only, before any tensor exists: hosts call it to mark their size menus.
 */
export function largestSideThatFits(
  options: StylizeOptions,
  content: { readonly width: number; readonly height: number },
  memory: number,
  backend: string | PathMemory,
): number {
  const fits = (side: number) => runNeed(options, content, side, backend).bytes <= memory;
  if (fits(options.size)) return options.size;
  let low = 1;
  let high = options.size;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

const gb = (bytes: number) => `${(bytes / GiB).toFixed(2)} GiB`;

/**
 * Throws 'exceeds-memory' when a run at the options' size would need more than the run's `memory` on `backend` (see
 * runNeed), with the largest size that fits. Sizes only, before any tensor exists.
 */
export function checkRunFitsMemory(
  options: StylizeOptions,
  content: { readonly width: number; readonly height: number },
  memory: number,
  backend: string | PathMemory,
  host?: HostMemory,
): void {
  const need = runNeed(options, content, options.size, backend);
  if (need.bytes <= memory) return;
  const largestSide = largestSideThatFits(options, content, memory, backend);
  const { width, height } = need;
  const limit = host && options.maxMemory === null ? hostShare(host) : 'maxMemory';
  throw new ImpastoError(
    'exceeds-memory',
    `a ${width}x${height} result needs ${gb(need.bytes)} of memory (its optimiser ${gb(need.optimizer)}), more than the ${gb(memory)} the run may use (${limit}); the largest size that fits is ${largestSide} px`,
    {
      width,
      height,
      needBytes: need.bytes,
      optimizerBytes: need.optimizer,
      memoryBytes: memory,
      largestSide,
      ...(typeof backend === 'string' ? { backend } : {}),
      ...(host && options.maxMemory === null ? { deviceGB: host.deviceGB } : {}),
    },
  );
}
