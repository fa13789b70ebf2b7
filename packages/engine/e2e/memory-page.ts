// A bare page for the WebGL memory test: two short runs on one engine, tf.memory() after every iteration.
import '../src/backends/browser.js'; // registers the tfjs backends this entry point may run on
import { createEngine, loadWeightsFromUrl } from '../src/browser/index.js';
import { tf } from '../src/tfjs/tf.js';

export interface MemoryRow {
  readonly label: string;
  readonly tensors: number;
  /** Bytes of live tensors' textures, and of every texture tfjs holds (live and kept free for reuse). */
  readonly gpuBytes: number;
  readonly allocatedBytes: number;
}

declare global {
  interface Window {
    runMemory(o: { weightsUrl: string; size: number; iterations: number }): Promise<MemoryRow[]>;
  }
}

function pattern(size: number, seed: number) {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++)
    data.set([(i * 7 + seed) % 255, (i * 13) % 255, (i * 3 + 50) % 255, 255], i * 4);
  return { width: size, height: size, data };
}

window.runMemory = async ({ weightsUrl, size, iterations }) => {
  const engine = await createEngine({ weights: await loadWeightsFromUrl(weightsUrl), backend: 'webgl' });
  const rows: MemoryRow[] = [];
  const record = (label: string) => {
    const m = tf.memory() as { numTensors: number; numBytesInGPU?: number; numBytesInGPUAllocated?: number };
    rows.push({
      label,
      tensors: m.numTensors,
      gpuBytes: m.numBytesInGPU ?? 0,
      allocatedBytes: m.numBytesInGPUAllocated ?? 0,
    });
  };
  record('ready');
  const options = {
    size,
    iterations,
    contentLayers: ['conv3_2'],
    styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'],
  } as const;
  for (const run of [1, 2]) {
    await engine.stylize(
      { content: pattern(size, run), styles: [pattern(size, 99)], options },
      { onProgress: (p) => record(`run ${run} iteration ${p.iteration}`) },
    );
    record(`after run ${run}`);
  }
  engine.dispose();
  record('disposed');
  return rows;
};
