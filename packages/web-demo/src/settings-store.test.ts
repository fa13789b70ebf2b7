import { DEFAULT_PANEL_SETTINGS } from '@impasto/ui';
import { describe, expect, it } from 'vitest';
import { addressNotice, initialSettings, loadStoredSettings, SETTINGS_KEY, saveSettings } from './settings-store.js';

const memoryStorage = (entries: Record<string, string> = {}) => {
  const map = new Map(Object.entries(entries));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
};

describe('initialSettings', () => {
  it('starts from the defaults when nothing is stored or asked for', () => {
    expect(initialSettings(undefined, '')).toEqual({ settings: DEFAULT_PANEL_SETTINGS, ignored: [], adjusted: [] });
  });

  it('lets the address override what was stored, key by key', () => {
    const stored = { size: 512, iterations: 40, backend: 'wasm', optimizer: 'adam' };
    const { settings, ignored } = initialSettings(stored, '?size=32&iterations=3&backend=webgl&start=noise');
    expect(settings).toEqual({
      ...DEFAULT_PANEL_SETTINGS,
      start: 'noise',
      size: 32,
      iterations: 3,
      backend: 'webgl',
      optimizer: 'adam',
    });
    expect(ignored).toEqual([]);
  });

  it('keeps the stored value when the address names an invalid one, and reports it', () => {
    const { settings, ignored } = initialSettings(
      { backend: 'webgpu', seed: 7 },
      '?backend=quantum&seed=abc&iterations=&colour=red&start=gray',
    );
    expect(settings.backend).toBe('webgpu');
    expect(settings.seed).toBe(7);
    expect(settings.iterations).toBe(DEFAULT_PANEL_SETTINGS.iterations);
    expect(ignored).toEqual(['backend=quantum', 'seed=abc', 'iterations=', 'colour=red', 'start=gray']);
  });

  it('clamps numbers into their range rather than refusing them, and says so', () => {
    const result = initialSettings(undefined, '?iterations=99999&strength=-5&size=8&seed=4');
    expect(result.settings).toMatchObject({ iterations: 2000, strength: 0, size: 32, seed: 4 });
    expect(result.adjusted).toEqual([
      { given: 'iterations=99999', used: 2000 },
      { given: 'strength=-5', used: 0 },
      { given: 'size=8', used: 32 },
    ]);
    expect(addressNotice(initialSettings(undefined, '?iterations=-5&colour=red&x=1'))).toBe(
      'From the address: iterations=-5 is out of range, so 1 is used; ignored colour=red, x=1.',
    );
    expect(addressNotice(initialSettings(undefined, '?size=256'))).toBe('');
  });

  it('repairs broken stored settings', () => {
    expect(initialSettings({ size: 'huge', optimizer: 'sgd' }, '').settings).toEqual(DEFAULT_PANEL_SETTINGS);
    expect(initialSettings('not an object', '').settings).toEqual(DEFAULT_PANEL_SETTINGS);
  });
});

describe('stored settings', () => {
  it('round-trip through storage as JSON', () => {
    const storage = memoryStorage();
    const settings = { ...DEFAULT_PANEL_SETTINGS, size: 256, seed: 3 };
    saveSettings(storage, settings);
    expect(JSON.parse(storage.map.get(SETTINGS_KEY) ?? '')).toEqual(settings);
    expect(loadStoredSettings(storage)).toEqual(settings);
  });

  it('read as undefined when absent, invalid JSON or when storage throws', () => {
    expect(loadStoredSettings(memoryStorage())).toBeUndefined();
    expect(loadStoredSettings(memoryStorage({ [SETTINGS_KEY]: '{oops' }))).toBeUndefined();
    const denied = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadStoredSettings(denied)).toBeUndefined();
    expect(loadStoredSettings(undefined)).toBeUndefined();
  });

  it('saving to full storage is not an error', () => {
    const full = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => saveSettings(full, DEFAULT_PANEL_SETTINGS)).not.toThrow();
  });
});
