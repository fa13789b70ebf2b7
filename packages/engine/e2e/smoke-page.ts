// A bare page that runs the engine in the browser for the smoke test: window.runSmoke(options) -> summary.
import '../src/backends/browser.js'; // registers the tfjs backends this entry point may run on
import { createBrowserSession, decodeImage, encodePng } from '../src/browser/index.js';

declare global {
  interface Window {
    runSmoke(o: { backend: string; weightsUrl: string; wasmUrl: string }): Promise<unknown>;
  }
}

function checker(size: number): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const x = i % size;
    const y = Math.floor(i / size);
    const on = ((x >> 2) + (y >> 2)) % 2 === 1;
    data.set(on ? [230, 200, 40, 255] : [20, 40, 120, 255], i * 4);
  }
  return data;
}

window.runSmoke = async ({ backend, weightsUrl, wasmUrl }) => {
  let weightsProgress = 0;
  const session = await createBrowserSession({
    weights: weightsUrl,
    backend: backend as 'webgl',
    wasmPaths: wasmUrl,
    onWeightsProgress: (loaded, total) => {
      weightsProgress = loaded / total;
    },
  });
  const content = { width: 24, height: 16, data: checker(24).subarray(0, 24 * 16 * 4) };
  const style = await decodeImage(await encodePng({ width: 16, height: 16, data: checker(16) }));
  const iterations: number[] = [];
  const { result, png } = await session.stylizeImages(
    content,
    [{ image: style }],
    { size: 24, iterations: 3, contentLayers: ['conv2_1'], styleLayers: ['conv1_1', 'conv2_1'] },
    { onProgress: (p) => iterations.push(p.iteration) },
  );
  const summary = {
    backend: session.engine.backend,
    weightsProgress,
    iterations,
    width: result.image.width,
    height: result.image.height,
    pngSignature: Array.from(png.subarray(0, 4)),
    finite: result.history.every((h) => Number.isFinite(h.total)),
  };
  session.dispose();
  return summary;
};
