// The page of `pnpm --filter @impasto/engine measure-memory`: one run of the engine in its worker, as hosts start
// it, on a given compute path, layer set and size; what the worker's runtimes hold before and after.

import { syntheticWeights } from '@impasto/weights/testing';
import { LAYER_PRESETS, startEngine } from '../src/browser/index.js';

export interface MeasureRequest {
  readonly backend: string;
  readonly layers: 'shallow' | 'paper';
  readonly size: number;
  /** Tiles of at most this side; absent: the path's memory model decides (and may not tile). */
  readonly tileSize?: number;
  readonly iterations: number;
  readonly weightsUrl: string;
  readonly wasmUrl: string;
}

export interface MeasureResult {
  readonly backend: string;
  /** Wasm heaps and GPU bytes once the network is loaded, before the run. */
  readonly readyBytes: number;
  readonly wasmHeapBytes: number;
  readonly gpuBytes: number;
  readonly ms: number;
  readonly evaluations: number;
  /** Tiles of the last gradient pass (0: untiled). */
  readonly tiles: number;
  readonly width: number;
  readonly height: number;
}

declare global {
  interface Window {
    measure(request: MeasureRequest): Promise<MeasureResult>;
  }
}

/** An RGBA pattern with edges at every scale (memory does not depend on the picture, time hardly). */
function pattern(width: number, height: number, seed: number) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ((x * 7 + seed) ^ (y * 13)) & 255;
      data.set([v, (x * 3 + y) & 255, (255 - v + seed) & 255, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

window.measure = async (r) => {
  // The paper's layers reach conv5_1, past what the test weights hold: synthetic weights cost the same.
  const weights = r.layers === 'paper' ? async () => syntheticWeights('conv5_1') : r.weightsUrl;
  const client = await startEngine({
    weights,
    backend: r.backend as 'wasm',
    wasmPaths: r.wasmUrl,
    worker: () => new Worker('/engine-worker.js'),
    // A measurement waits for what it measures, however slow the machine.
    watchdog: { floorMs: 4 * 3_600_000, firstMs: 4 * 3_600_000 },
  });
  try {
    const ready = await client.memory();
    let tiles = 0;
    const started = performance.now();
    const { result } = await client.stylize(
      {
        content: pattern(r.size, r.size, 1),
        styles: [{ image: pattern(r.size, r.size, 99), weight: 1 }],
        options: {
          size: r.size,
          iterations: r.iterations,
          optimizer: 'adam',
          previewEvery: 0,
          ...LAYER_PRESETS[r.layers],
          ...(r.tileSize ? { tileSize: r.tileSize } : {}),
        },
      },
      {
        onTile: (t) => {
          if (t.pass === 'gradient') tiles = t.tiles;
        },
      },
    );
    const ms = performance.now() - started;
    const after = await client.memory();
    return {
      backend: client.backend,
      readyBytes: ready.wasmHeapBytes + ready.gpuBytes,
      wasmHeapBytes: after.wasmHeapBytes,
      gpuBytes: after.gpuBytes,
      ms,
      evaluations: result.evaluations,
      tiles,
      width: result.image.width,
      height: result.image.height,
    };
  } finally {
    client.dispose();
  }
};
