import { DEFAULT_OPTIONS, LAYER_PRESETS } from '@impasto/engine/internals';
import { describe, expect, it } from 'vitest';
import { bytesArg, parseCliArgs, UsageError } from './cli-args.js';

describe('command-line arguments', () => {
  it('maps flags onto engine options and leaves the rest to the defaults', () => {
    const c = parseCliArgs([
      'a.jpg',
      'b.jpg',
      'c.png',
      '-o',
      'out.png',
      '-s',
      '256',
      '--preset',
      'shallow',
      '--style-blend',
      '2,1',
    ]);
    expect(c).toMatchObject({ content: 'a.jpg', styles: ['b.jpg', 'c.png'], output: 'out.png', styleBlend: [2, 1] });
    // No --init: the engine's default start (the content image).
    expect(c?.options).toEqual({ size: 256, previewEvery: 0, ...LAYER_PRESETS.shallow });
    expect(parseCliArgs(['a', 'b', '-o', 'o.png', '--init', 'noise'])?.options.init).toBe('noise');
  });

  it('--max-memory in binary units and --tile-size in pixels', () => {
    const c = parseCliArgs(['a', 'b', '-o', 'o.png', '--max-memory', '1.5G', '--tile-size', '768']);
    expect(c?.options).toMatchObject({ maxMemory: 1.5 * 2 ** 30, tileSize: 768 });
    expect(bytesArg('1500M')).toBe(1500 * 2 ** 20);
    expect(bytesArg('512KiB')).toBe(512 * 1024);
    expect(bytesArg('1000')).toBe(1000);
    expect(() => parseCliArgs(['a', 'b', '-o', 'o.png', '--max-memory', 'lots'])).toThrow(UsageError);
  });

  it('--balance-size: a size, or off for α as given at every size', () => {
    expect(parseCliArgs(['a', 'b', '-o', 'o.png', '--balance-size', '1024'])?.options.balanceSize).toBe(1024);
    expect(parseCliArgs(['a', 'b', '-o', 'o.png', '--balance-size', 'off'])?.options.balanceSize).toBeNull();
    expect(() => parseCliArgs(['a', 'b', '-o', 'o.png', '--balance-size', 'big'])).toThrow(UsageError);
  });

  it('--strength means what the hosts mean; --style-weight wins over it', () => {
    expect(parseCliArgs(['a', 'b', '-o', 'o.png', '--strength', '75'])?.options.styleWeight).toBeCloseTo(
      DEFAULT_OPTIONS.styleWeight * 10,
      6,
    );
    expect(
      parseCliArgs(['a', 'b', '-o', 'o.png', '--strength', '75', '--style-weight', '5'])?.options.styleWeight,
    ).toBe(5);
    expect(() => parseCliArgs(['a', 'b', '-o', 'o.png', '--strength', '120'])).toThrow(UsageError);
  });

  it('an image file for --init, and usage mistakes as UsageError', () => {
    expect(parseCliArgs(['a', 'b', '-o', 'o.png', '--init', 'start.png'])?.initFile).toBe('start.png');
    expect(parseCliArgs(['a', 'b', '-o', 'o.png', '--init', 'content'])?.options.init).toBe('content');
    expect(() => parseCliArgs(['a', 'b', '-o', 'o.png', '--style-blend', '1,2'])).toThrow(
      '2 weights for 1 style images',
    );
    expect(() => parseCliArgs(['a', 'b', '-o', 'o.png', '--bogus'])).toThrow(UsageError);
    expect(() => parseCliArgs(['a', 'b'])).toThrow('give the output file');
    expect(parseCliArgs(['--help'])).toBeNull();
  });

  it('quality flags: coarse-to-fine, scales (a count or sizes), stage iterations, colours, style scale', () => {
    const o = (...flags: string[]) => parseCliArgs(['a', 'b', '-o', 'o.png', ...flags])?.options;
    expect(
      o('--coarse-to-fine', 'on', '--scales', '3', '--keep-colors', '--color-match', '--style-scale', '0.5'),
    ).toMatchObject({ coarseToFine: 'on', scales: 3, keepColors: true, colorMatch: true, styleScale: 0.5 });
    expect(o('--scales', '128,256,512', '--stage-iterations', '100,50,25')).toMatchObject({
      scales: [128, 256, 512],
      stageIterations: [100, 50, 25],
    });
    expect(o()).not.toHaveProperty('keepColors');
    expect(() => o('--style-scale', 'big')).toThrow('--style-scale takes a number (got "big")');
  });

  it('--mask: one per style in order, invert:FILE for the inverse, no more masks than styles', () => {
    const masks = (...args: string[]) => parseCliArgs(['a', 'b', 'c', '-o', 'o.png', ...args])?.masks;
    expect(masks()).toEqual([]);
    expect(masks('--mask', 'sky.png', '--mask', 'invert:sky.png')).toEqual([
      { file: 'sky.png', invert: false },
      { file: 'sky.png', invert: true },
    ]);
    expect(() => masks('--mask', 'a.png', '--mask', 'b.png', '--mask', 'c.png')).toThrow(
      '3 masks for 2 style images (one mask per style, in order)',
    );
    expect(() => masks('--mask', 'invert:')).toThrow('--mask takes an image file');
  });
});
