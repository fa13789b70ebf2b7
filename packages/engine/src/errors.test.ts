// Every error a user can meet leaves the engine as an ImpastoError with a stable code and the values a UI needs.
import { ImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import { asComputeError } from './compute-errors.js';
import { engineOn } from './engine.js';
import { validateRgba } from './image/rgba.js';
import { requireLayers } from './network/layers.js';
import { resolveOptions } from './options.js';

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

describe('typed errors', () => {
  it('a bad option is bad-option and names the option', () => {
    const e = caught(() => resolveOptions({ iterations: -5 }));
    expect([e.code, e.details.option]).toEqual(['bad-option', 'iterations']);
    expect(caught(() => resolveOptions({ bogus: 1 } as never)).details.option).toBe('bogus');
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
    const failing = engineOn({
      backend: 'wasm',
      unavailable: [],
      layers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv3_2'],
      activate: async () => {},
      makeProgram: () => ({
        evaluate: async () => {
          throw new Error('Aborted(). Build with -sASSERTIONS for more info.');
        },
        dispose() {},
      }),
      dispose() {},
    });
    const request = {
      content: image(16, 16),
      styles: [image(16, 16)],
      options: { size: 16, iterations: 1, contentLayers: ['conv3_2' as const], styleLayers: ['conv1_1' as const] },
    };
    await expect(failing.stylize(request)).rejects.toMatchObject({ code: 'out-of-memory' });
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
});
