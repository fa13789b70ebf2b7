import { isImpastoError } from '@impasto/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkRunFitsMemory, deviceHostMemory } from './memory-fit.js';
import { resolveOptions } from './options.js';

const GiB = 1024 ** 3;

function refusal(fn: () => void) {
  try {
    fn();
  } catch (e) {
    if (isImpastoError(e, 'exceeds-memory')) return e;
    throw e;
  }
  throw new Error('no exceeds-memory error');
}

describe('checkRunFitsMemory', () => {
  const photo = { width: 4000, height: 3000 };

  it("refuses a size whose least optimiser (3 L-BFGS pairs + 8 vectors) needs over ¾ of the run's memory", () => {
    // 64 MiB: ¾ = 50 331 648 B; 14 float32 vectors × 3 values = 168 B a pixel: 299 593 px at most.
    const options = resolveOptions({ size: 1024, maxMemory: 64 * 1024 ** 2 });
    const e = refusal(() => checkRunFitsMemory(options, photo, 64 * 1024 ** 2));
    // 632x474 = 299 568 px fits; 633x475 = 300 675 px does not.
    expect(e.details).toMatchObject({ width: 1024, height: 768, needBytes: 1024 * 768 * 168, largestSide: 632 });
    expect(e.details.deviceGB).toBeUndefined();
    expect(e.message).toMatch(/a 1024x768 result needs 0\.12 GiB for the optimiser alone.*\(maxMemory\).*632 px/);
    expect(() => checkRunFitsMemory({ ...options, size: 632 }, photo, 64 * 1024 ** 2)).not.toThrow();
    // Adam holds 4 vectors (48 B a pixel): 1024x768 fits.
    expect(() => checkRunFitsMemory({ ...options, optimizer: 'adam' }, photo, 64 * 1024 ** 2)).not.toThrow();
  });

  it("names the device when the limit is the browser's share of it", () => {
    const options = resolveOptions({ size: 4096 });
    const host = { bytes: 2 * GiB, deviceGB: 4 };
    const e = refusal(() => checkRunFitsMemory(options, { width: 4096, height: 3072 }, 2 * GiB, host));
    // ¾ of 2 GiB / 168 B = 9 586 980 px: 3575x2681 fits, 3576x2682 does not.
    expect(e.details).toMatchObject({ width: 4096, height: 3072, largestSide: 3575, deviceGB: 4 });
    expect(e.message).toContain("half of this device's 4 GB");
    // The default 4 GiB (Node, or a device that reports 8 GB) takes 4096x4096.
    expect(() => checkRunFitsMemory(options, { width: 4096, height: 4096 }, 4 * GiB)).not.toThrow();
  });
});

describe('deviceHostMemory', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is half of navigator.deviceMemory, at most 4 GiB, and nothing where the browser does not say', () => {
    vi.stubGlobal('navigator', { deviceMemory: 4 });
    expect(deviceHostMemory()).toEqual({ bytes: 2 * GiB, deviceGB: 4 });
    vi.stubGlobal('navigator', { deviceMemory: 0.5 });
    expect(deviceHostMemory()).toEqual({ bytes: 0.25 * GiB, deviceGB: 0.5 });
    vi.stubGlobal('navigator', { deviceMemory: 32 });
    expect(deviceHostMemory()?.bytes).toBe(4 * GiB);
    vi.stubGlobal('navigator', {});
    expect(deviceHostMemory()).toBeUndefined();
  });
});
