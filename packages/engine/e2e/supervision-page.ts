// The supervision test's page: an engine in a worker that fails as its address says (force-faults.ts) on its first
// start only, a run that meets the failure, then a run on the worker that replaced it.

import { syntheticWeights } from '@impasto/weights/testing';
import { startEngine } from '../src/browser/index.js';

export interface RunOutcome {
  readonly ms: number;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
  readonly width?: number;
}

declare global {
  interface Window {
    failThenRun(o: { fault: string; first: { size: number; tileSize: number } }): Promise<RunOutcome[]>;
  }
}

function pattern(width: number, height: number) {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 255, (i * 13) % 255, (i * 3) % 255, 255], i * 4);
  return { width, height, data };
}

window.failThenRun = async ({ fault, first }) => {
  let starts = 0;
  const client = await startEngine({
    weights: async () => syntheticWeights('conv3_2'), // a fresh copy for each worker it starts
    backend: 'ort-wasm',
    wasmPaths: '/wasm/',
    // The fault only in the first worker: the one that replaces it is sound.
    worker: () => new Worker(`/faulty-worker.js${starts++ === 0 ? `?${fault}` : ''}`),
    // Short, so a hang shows in seconds here; a failure inside a kernel must not need it.
    watchdog: { floorMs: 3_000, factor: 4, firstMs: 60_000 },
  });
  const run = async (size: number, tileSize: number): Promise<RunOutcome> => {
    const t0 = performance.now();
    try {
      const { result } = await client.stylize({
        content: pattern(size, size),
        styles: [{ image: pattern(size, size), weight: 1 }],
        options: {
          size,
          tileSize,
          iterations: 2,
          optimizer: 'adam',
          contentLayers: ['conv3_2'],
          styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'],
        },
      });
      return { ms: performance.now() - t0, width: result.image.width };
    } catch (e) {
      const error = e as { code?: string; details?: Record<string, unknown> };
      return { ms: performance.now() - t0, code: error.code ?? String(e), details: { ...error.details } };
    }
  };
  try {
    return [await run(first.size, first.tileSize), await run(48, 4096)];
  } finally {
    client.dispose();
  }
};
