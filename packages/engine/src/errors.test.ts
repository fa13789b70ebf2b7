// Every error a user can meet leaves the engine as an ImpastoError with a stable code and the values a UI needs.
import { ImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from './compute/loss-program.js';
import { asComputeError, faultInLogLine } from './compute-errors.js';
import { engineOn } from './engine.js';
import { validateRgba } from './image/rgba.js';
import { requireLayers } from './network/layers.js';
import { resolveOptions } from './options.js';
import { reportRuntimeFault, takeRuntimeFault } from './runtime-faults.js';
import { guardWasmMalloc } from './tfjs/runtime-guards.js';

function caught(f: () => unknown): ImpastoError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImpastoError);
    return e as ImpastoError;
  }
  throw new Error('expected an error');
}

const image = (width: number, height: number) => ({ width, height, data: new Uint8Array(width * height * 4) });

/** A wasm compute path whose programs evaluate as `evaluate` says; counts the restarts it was asked for. */
function wasmPath(evaluate: (x: Float32Array) => Promise<Evaluation>) {
  const restarts = { count: 0 };
  const path = engineOn({
    backend: 'wasm',
    unavailable: [],
    layers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv3_2'],
    activate: async () => {},
    // A runtime that died is restarted before the next run; other failures leave it as it is.
    broken: () => void restarts.count++,
    makeProgram: () => ({ evaluate, dispose() {} }),
    dispose() {},
  });
  return { path, restarts };
}

/** A 16 px run on the shallow layers. */
const smallRequest = (iterations: number) => ({
  content: image(16, 16),
  styles: [image(16, 16)],
  options: { size: 16, iterations, contentLayers: ['conv3_2' as const], styleLayers: ['conv1_1' as const] },
});

describe('typed errors', () => {
  it('a bad option is bad-option and names the option', () => {
    const e = caught(() => resolveOptions({ iterations: -5 }));
    expect([e.code, e.details.option]).toEqual(['bad-option', 'iterations']);
    expect(caught(() => resolveOptions({ bogus: 1 } as never)).details.option).toBe('bogus');
    expect(caught(() => resolveOptions({ balanceSize: 0 })).details.option).toBe('balanceSize');
    // The schedule is part of the one validation: 2 iterations cannot run 4 coarse-to-fine stages.
    expect(caught(() => resolveOptions({ size: 1024, iterations: 2, scales: 4 })).code).toBe('bad-option');
  });

  it('resolved options are validated once: passing them back returns the same object', () => {
    const o = resolveOptions({ size: 64 });
    expect(resolveOptions(o)).toBe(o);
    expect(resolveOptions({ ...o })).not.toBe(o);
  });

  it('images: no pixels is bad-image, over the limit is image-too-large with the limits', () => {
    expect(caught(() => validateRgba(image(0, 3), 'content image')).code).toBe('bad-image');
    const big = caught(() => validateRgba({ width: 20000, height: 2, data: new Uint8Array(0) }, 'content image'));
    expect([big.code, big.details.maxSide, big.details.width]).toEqual(['image-too-large', 16384, 20000]);
  });

  it('missing layers are missing-layers, with what is missing and what is there', () => {
    const e = caught(() => requireLayers(['conv1_1', 'conv1_2'], ['conv4_2', 'conv1_1', 'conv2_1']));
    expect([e.code, e.details.missing, e.details.available]).toEqual([
      'missing-layers',
      ['conv2_1', 'conv4_2'],
      ['conv1_1', 'conv1_2'],
    ]);
  });

  it("a backend's raw failure becomes out-of-memory or backend-failed; ours and cancellations pass through", () => {
    const oom = asComputeError(new Error('Failed to allocate 4 GB on the GPU'), 'webgl') as ImpastoError;
    expect([oom.code, oom.details.backend]).toEqual(['out-of-memory', 'webgl']);
    expect((asComputeError(new Error('shader compile'), 'webgpu') as ImpastoError).code).toBe('backend-failed');
    const ours = new ImpastoError('bad-mask', 'x');
    expect(asComputeError(ours, 'wasm')).toBe(ours);
    const abort = new DOMException('stop', 'AbortError');
    expect(asComputeError(abort, 'wasm')).toBe(abort);
  });

  it('stylize on a compute path that fails reports the code, and a cancelled run is cancelled', async () => {
    let failure = new Error('Aborted(). Build with -sASSERTIONS for more info.');
    const { path: failing, restarts } = wasmPath(async () => {
      throw failure;
    });
    const request = smallRequest(1);
    await expect(failing.stylize(request)).rejects.toMatchObject({ code: 'out-of-memory', details: { fatal: true } });
    failure = new WebAssembly.RuntimeError('unreachable executed');
    await expect(failing.stylize(request)).rejects.toMatchObject({ code: 'backend-failed', details: { fatal: true } });
    failure = new Error('The new shape (NaN,0) has NaN elements');
    await expect(failing.stylize(request)).rejects.toMatchObject({ details: { backend: 'wasm' } });
    expect(restarts.count).toBe(2);
    const controller = new AbortController();
    controller.abort();
    await expect(failing.stylize(request, { signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
      name: 'AbortError',
    });
    await expect(
      failing.stylize({ ...request, options: { ...request.options, contentLayers: ['conv4_2'] } }),
    ).rejects.toMatchObject({
      code: 'missing-layers',
    });
  });

  it('a runtime line that reports a failure inside a kernel is a fault: memory, or another kernel failure', () => {
    expect(
      faultInLogLine(
        'XNN status for xnn_setup_convolution2d_nhwc_f32 is not successful. Got status 6. Use -c dbg to see XNN logs.',
      ),
    ).toEqual({ kind: 'memory', message: "XNNPACK's xnn_setup_convolution2d_nhwc_f32 returned status 6" });
    expect(
      faultInLogLine('XNN status for xnn_create_convolution2d_nhwc_f32 is not successful. Got status 2.')?.kind,
    ).toBe('kernel');
    expect(faultInLogLine('Aborted(OOM)')?.kind).toBe('memory');
    expect(faultInLogLine('Aborted()')?.kind).toBe('memory');
    expect(faultInLogLine('Aborted(native code called abort())')?.kind).toBe('kernel');
    expect(faultInLogLine('Cannot enlarge memory, requested 4294967296 bytes')?.kind).toBe('memory');
    expect(faultInLogLine('High memory usage in GPU: 1024.00 MB, most likely due to a memory leak')).toBeNull();
    expect(faultInLogLine('Initialization of backend webgpu failed')).toBeNull();
  });

  it("tfjs-wasm's malloc that returns 0 throws out-of-memory (fatal) instead of writing over the heap", () => {
    const heap = new Uint8Array(64);
    const module = { HEAPU8: heap, _malloc: (bytes: number) => (bytes > 32 ? 0 : 8) };
    guardWasmMalloc(module);
    expect(module._malloc(16)).toBe(8);
    expect(module._malloc(0)).toBe(8);
    const e = caught(() => module._malloc(3 * 1024 ** 2));
    expect([e.code, e.details.fatal, e.details.backend, e.details.heapBytes]).toEqual([
      'out-of-memory',
      true,
      'wasm',
      64,
    ]);
    expect(e.message).toBe('the wasm heap could not hold 3 MiB more (it has 0 MiB)');
  });

  it('a fault reported inside a kernel fails the run at the next evaluation, restarts the runtime, and the next run works', async () => {
    let faultNext = true;
    // A kernel that prints its failure and returns garbage, as tfjs-wasm does after an XNNPACK status.
    const { path, restarts } = wasmPath(async (x) => {
      if (faultNext) reportRuntimeFault({ kind: 'memory', message: 'XNNPACK returned status 6' });
      return { terms: { total: 1, content: 0, style: 1, tv: 0 }, gradient: new Float32Array(x.length) };
    });
    const request = smallRequest(2);
    await expect(path.stylize(request)).rejects.toMatchObject({
      code: 'out-of-memory',
      details: { backend: 'wasm', fatal: true, fault: 'memory', size: 16 },
    });
    expect(restarts.count).toBe(1);
    faultNext = false;
    await expect(path.stylize(request)).resolves.toMatchObject({ iterations: expect.any(Number) });
    expect(takeRuntimeFault()).toBeNull();
    // A fault between runs (a GPU device lost while idle): the next run restarts the runtime first, then runs.
    reportRuntimeFault({ kind: 'device-lost', message: 'the WebGPU device was lost' });
    await expect(path.stylize(request)).resolves.toMatchObject({ iterations: expect.any(Number) });
    expect(restarts.count).toBe(2);
  });
});
