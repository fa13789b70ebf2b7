import { benchPoint, benchSpec } from '../src/bench-spec.js';
import { syntheticWeights } from '../src/network/synthetic-weights.js';
import { createOrtWasmLossProgramFactory, startOrtWasm } from '../src/onnx/ort-web.js';
(window as any).probe = async (url: string, size: number, shallow: boolean) => {
  const mem = async () => ((await (performance as any).measureUserAgentSpecificMemory()).bytes / 2 ** 20).toFixed(0);
  const runtime = await startOrtWasm(url, 1);
  const f = createOrtWasmLossProgramFactory(runtime, syntheticWeights('conv5_1'));
  const before = await mem();
  const spec = { ...benchSpec(size), maxMemory: 3.5 * 1024 ** 3, ...(shallow ? { contentLayers: ['conv3_2'], styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'], styleLayerWeights: [1/3, 1/3, 1/3] } : {}) } as any;
  const p = await f.prepare(spec);
  const afterPrepare = await mem();
  const t = performance.now();
  await p.evaluate(benchPoint(size));
  const ms = performance.now() - t;
  const afterEval = await mem();
  return { size, shallow, before, afterPrepare, afterEval, ms };
};
