import { DEFAULT_OPTIONS, LAYER_PRESETS } from '@impasto/engine';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PANEL_SETTINGS, layersFor, sanitizeSettings, sizeChoicesFor, toStylizeOptions } from './settings.js';

describe('panel settings', () => {
  it('repairs stored settings value by value', () => {
    expect(sanitizeSettings(null)).toEqual(DEFAULT_PANEL_SETTINGS);
    expect(
      sanitizeSettings({
        size: 99999,
        iterations: -3,
        strength: 70.4,
        optimizer: 'sgd',
        backend: 'webgl',
        seed: 'x',
        start: 'gray',
        keepColors: 'yes',
      }),
    ).toEqual({
      ...DEFAULT_PANEL_SETTINGS,
      size: 4096,
      iterations: 1,
      strength: 70,
      backend: 'webgl',
    });
  });

  it('offers the current size in the size menu even when it is not one of the usual choices', () => {
    expect(sizeChoicesFor(384)).toEqual([128, 256, 384, 512, 768, 1024, 2048, 4096]);
    expect(sizeChoicesFor(32)).toEqual([32, 128, 256, 384, 512, 768, 1024, 2048, 4096]);
    expect(sizeChoicesFor(300)).toEqual([128, 256, 300, 384, 512, 768, 1024, 2048, 4096]);
    expect(sizeChoicesFor(3000)).toEqual([128, 256, 384, 512, 768, 1024, 2048, 3000, 4096]);
  });

  it('uses the paper layers when the weights have them, the shallow preset otherwise', () => {
    const all = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv4_2', 'conv5_1'] as const;
    expect(layersFor(all)).toBe(LAYER_PRESETS.paper);
    expect(layersFor(['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2'])).toBe(LAYER_PRESETS.shallow);
  });

  it('maps strength through the engine and asks for previews during the run', () => {
    const o = toStylizeOptions({ ...DEFAULT_PANEL_SETTINGS, strength: 75, iterations: 300 }, ['conv1_1']);
    expect(o.styleWeight).toBeCloseTo(DEFAULT_OPTIONS.styleWeight * 10, 6);
    expect(o.previewEvery).toBe(10);
    expect(toStylizeOptions({ ...DEFAULT_PANEL_SETTINGS, iterations: 3 }, []).previewEvery).toBe(1);
  });

  it('passes "Keep original colours" to the engine (off unless stored as true)', () => {
    expect(toStylizeOptions(DEFAULT_PANEL_SETTINGS, []).keepColors).toBe(false);
    expect(sanitizeSettings({ keepColors: true }).keepColors).toBe(true);
    expect(toStylizeOptions(sanitizeSettings({ keepColors: true }), []).keepColors).toBe(true);
  });

  it('starts from the photo unless noise is chosen; the seed goes with it', () => {
    expect(toStylizeOptions(DEFAULT_PANEL_SETTINGS, []).init).toBe('content');
    const noise = toStylizeOptions(sanitizeSettings({ start: 'noise', seed: 9 }), []);
    expect([noise.init, noise.seed]).toEqual(['noise', 9]);
  });
});
