// Which compute path a browser engine takes, in Node: adapters from a stand-in probe, ONNX Runtime from a stand-in
// starter (or onnxruntime-node standing in for onnxruntime-web: the same OrtModule, the same graphs).
import { ImpastoError } from '@impasto/errors';
import { syntheticWeights } from '@impasto/weights/testing';
import { describe, expect, it } from 'vitest';
import { loadOrt, onnxAvailable } from '../onnx/ort-node.js';
import { ORT_WASM_FILES, type OrtWasmRuntime, ortWasmThreads } from '../onnx/ort-web.js';
import { countingRuntime } from '../testing/onnx-counting-runtime.js';
import type { AdapterInfo, AdapterProbe } from '../tfjs/adapter-probe.js';
import type { WasmLocation } from '../wasm-location.js';
import { engineFromPlan, planBrowserEngine } from './browser-engine.js';

const SWIFTSHADER: AdapterInfo = { description: 'SwiftShader Device (Subzero)', software: true };
const probeOf =
  (adapters: Partial<Record<'webgpu' | 'webgl', AdapterInfo>>): AdapterProbe =>
  async (backend) =>
    adapters[backend];
const THREADS = { count: 1, why: 'a test' };
const fakeRuntime = { ort: {} as OrtWasmRuntime['ort'], threads: THREADS };

/** A starter that records its arguments and answers with `outcome`. */
function starter(outcome: OrtWasmRuntime | Error) {
  const calls: [WasmLocation, number | undefined][] = [];
  const startOrt = async (location: WasmLocation, threads?: number) => {
    calls.push([location, threads]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { calls, startOrt };
}

describe('the compute path a browser engine takes', () => {
  it('auto: on software graphics adapters, ONNX Runtime WebAssembly, saying which adapters it passed over', async () => {
    const { calls, startOrt } = starter(fakeRuntime);
    const plan = await planBrowserEngine({
      wasmPaths: '/wasm/',
      probe: probeOf({ webgpu: SWIFTSHADER, webgl: SWIFTSHADER }),
      startOrt,
    });
    expect(plan).toEqual({
      kind: 'ort-wasm',
      runtime: fakeRuntime,
      unavailable: ['webgpu', 'webgl'].map((name) => ({
        name,
        reason: 'software rendering (SwiftShader Device (Subzero)); WebAssembly is faster',
        software: 'SwiftShader Device (Subzero)',
      })),
    });
    expect(calls).toEqual([['/wasm/', undefined]]);
  });

  it('auto: a hardware adapter whose backend cannot start is passed with its reason, then WebAssembly', async () => {
    const { startOrt } = starter(fakeRuntime);
    const plan = await planBrowserEngine({
      wasmPaths: '/wasm/',
      probe: probeOf({ webgpu: { description: 'Apple M2', software: false } }),
      startOrt,
      ortWasmThreads: 2,
    });
    expect(plan.kind).toBe('ort-wasm');
    // Node registers no WebGPU or WebGL backend: the reason is tfjs's.
    expect(plan.kind === 'ort-wasm' && plan.unavailable.map((u) => [u.name, u.software])).toEqual([
      ['webgpu', undefined],
      ['webgl', undefined],
    ]);
  });

  it("auto: where ONNX Runtime cannot start, tfjs's best, with the reason first among what was passed over", async () => {
    const { startOrt } = starter(new Error('WebAssembly SIMD is not supported in the current environment.'));
    const plan = await planBrowserEngine({ wasmPaths: '/wasm/', probe: probeOf({ webgl: SWIFTSHADER }), startOrt });
    expect(plan.kind).toBe('tfjs');
    if (plan.kind !== 'tfjs') return;
    expect(plan.choice.name).toBe('wasm'); // Node's tests register tfjs-wasm and cpu
    expect(plan.choice.unavailable[0]).toEqual({
      name: 'ort-wasm',
      reason: 'WebAssembly SIMD is not supported in the current environment.',
    });
    const noLocation = await planBrowserEngine({ probe: probeOf({}), startOrt });
    expect(noLocation.kind === 'tfjs' && noLocation.choice.unavailable[0]).toEqual({
      name: 'ort-wasm',
      reason: 'the host gives no location for the WebAssembly files',
    });
  });

  it('ort-wasm asked for by name: started with the threads asked, or a backend-failed error saying why', async () => {
    const ok = starter(fakeRuntime);
    await planBrowserEngine({ backend: 'ort-wasm', wasmPaths: '/w/', ortWasmThreads: 1, startOrt: ok.startOrt });
    expect(ok.calls).toEqual([['/w/', 1]]);
    const failing = starter(new Error('HTTP 404'));
    const error = await planBrowserEngine({ backend: 'ort-wasm', wasmPaths: '/w/', startOrt: failing.startOrt }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImpastoError);
    expect([(error as ImpastoError).code, (error as ImpastoError).details]).toEqual([
      'backend-failed',
      { backend: 'ort-wasm' },
    ]);
    expect((error as Error).message).toBe("ONNX Runtime's WebAssembly could not start: HTTP 404");
  });
});

describe('ort-wasm threads', () => {
  const folder = '/wasm/';
  it('one per core where the page is cross-origin isolated, else one, saying why', () => {
    const cores = (n: number, isolated: boolean) => ({
      crossOriginIsolated: isolated,
      navigator: { hardwareConcurrency: n },
    });
    expect(ortWasmThreads(folder, cores(2, true))).toEqual({
      count: 2,
      why: '2 threads, one per core (the page is cross-origin isolated)',
    });
    expect(ortWasmThreads(folder, cores(8, false))).toEqual({
      count: 1,
      why: 'one thread: the page is not cross-origin isolated, so WebAssembly has no shared memory',
    });
    expect(ortWasmThreads(folder, cores(1, true)).count).toBe(1);
    expect(ortWasmThreads(folder, { ...cores(4, true), document: {} }).why).toBe(
      "one thread: the engine runs on the page's main thread",
    );
    // Threads start from the glue module: a host that inlines only the binary runs one.
    expect(ortWasmThreads({ [ORT_WASM_FILES.wasm]: 'blob:x' }, cores(4, true))).toEqual({
      count: 1,
      why: 'one thread: the host gives no ort-wasm-simd-threaded.mjs to start threads from',
    });
  });
});

const ORT = await onnxAvailable();
describe.skipIf(!ORT)('an ort-wasm engine (onnxruntime-node standing in for onnxruntime-web)', () => {
  it('stylizes, names its path and threads, and frees its sessions when disposed', async () => {
    const counting = countingRuntime(await loadOrt());
    const engine = await engineFromPlan(
      { kind: 'ort-wasm', runtime: { ort: counting.ort, threads: THREADS }, unavailable: [] },
      syntheticWeights('conv2_1'),
    );
    expect([engine.backend, engine.threads, engine.layers]).toEqual([
      'ort-wasm',
      THREADS,
      ['conv1_1', 'conv1_2', 'conv2_1'],
    ]);
    const image = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 4).fill(128) });
    const result = await engine.stylize({
      content: image(16, 12),
      styles: [image(8, 8)],
      options: { size: 16, iterations: 2, contentLayers: ['conv2_1'], styleLayers: ['conv1_1'] },
    });
    expect([result.image.width, result.image.height, result.iterations]).toEqual([16, 12, 2]);
    expect(counting.live()).toBeGreaterThan(0); // the loss session stays for the next run at this size
    engine.dispose();
    await new Promise((r) => setTimeout(r, 50));
    expect(counting.live()).toBe(0);
  });
});
