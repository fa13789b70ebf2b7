import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../options.js';
import {
  buildSpec,
  outputContentWeight,
  stageContentWeight,
  stageStyleSize,
  styleSize,
  toCaffe,
} from './stylize-inputs.js';

describe('stageStyleSize: every stage sees the style as large, relative to its canvas, as the output does', () => {
  const starry = { width: 1024, height: 640 };
  const output = { width: 4096, height: 3072 };

  it('at the output: the style at styleScale × the output, never enlarged past its own size', () => {
    expect(stageStyleSize(starry, output, 4096, 1)).toEqual({ width: 1024, height: 640 });
    expect(stageStyleSize(starry, output, 4096, 1)).toEqual(styleSize(starry, 4096, 3072, 1));
    expect(stageStyleSize(starry, { width: 512, height: 384 }, 512, 1)).toEqual({ width: 512, height: 320 });
  });

  it('in a smaller stage: scaled down with the stage (a quarter of the side at a quarter of the size)', () => {
    expect(stageStyleSize(starry, output, 2048, 1)).toEqual({ width: 512, height: 320 });
    expect(stageStyleSize(starry, output, 1024, 1)).toEqual({ width: 256, height: 160 });
    // A style that fits the output's size is scaled as before (half the output's side at half the size).
    expect(stageStyleSize(starry, { width: 1024, height: 768 }, 512, 1)).toEqual({ width: 512, height: 320 });
    // styleScale applies at the output, then the stage scales it.
    expect(stageStyleSize(starry, { width: 1024, height: 768 }, 512, 0.5)).toEqual({ width: 256, height: 160 });
  });

  it('never under 16 px on its longest side', () => {
    expect(stageStyleSize(starry, output, 32, 1)).toEqual({ width: 16, height: 10 });
  });
});

describe('stageContentWeight: a smaller stage weighs the content by the pixels it lacks', () => {
  it('is the run weight at the output and grows with the pixel ratio below it', () => {
    expect(stageContentWeight(1, { width: 2048, height: 1536 }, { width: 2048, height: 1536 })).toBe(1);
    // Half the side: a quarter of the pixels, 4x the weight; a quarter of the side: 16x.
    expect(stageContentWeight(1, { width: 1024, height: 768 }, { width: 2048, height: 1536 })).toBe(4);
    expect(stageContentWeight(5, { width: 512, height: 384 }, { width: 2048, height: 1536 })).toBe(80);
    // Rounded stage sides: 2048x1535 over 1024x768 is 3143680 / 786432 pixels.
    expect(stageContentWeight(1, { width: 1024, height: 768 }, { width: 2048, height: 1535 })).toBeCloseTo(
      3143680 / 786432,
      12,
    );
    expect(stageContentWeight(0, { width: 64, height: 48 }, { width: 512, height: 384 })).toBe(0);
  });
});

describe('outputContentWeight: above balanceSize the content weight falls with the pixels gained', () => {
  it('is contentWeight up to balanceSize (longest side) and (balanceSize / side)² of it above', () => {
    expect(outputContentWeight(1, { width: 512, height: 384 }, 512)).toBe(1);
    expect(outputContentWeight(3, { width: 256, height: 192 }, 512)).toBe(3);
    // Twice the side: a quarter; four times: a sixteenth (2048x1536 counts the content as 512x384 does).
    expect(outputContentWeight(1, { width: 1024, height: 768 }, 512)).toBe(0.25);
    expect(outputContentWeight(2, { width: 1536, height: 2048 }, 512)).toBe(2 / 16);
    expect(outputContentWeight(1, { width: 4096, height: 3072 }, 1024)).toBe(1 / 16);
    expect(outputContentWeight(1, { width: 700, height: 300 }, 512)).toBeCloseTo((512 / 700) ** 2, 12);
  });

  it('null: the weight as given at every size', () => {
    expect(outputContentWeight(1, { width: 4096, height: 3072 }, null)).toBe(1);
  });
});

describe('buildSpec: a stage loss carries its scaled content weight', () => {
  const image = (width: number, height: number) => ({ width, height, data: new Uint8Array(width * height * 4) });
  const content = image(64, 48);
  const styles = [{ image: image(40, 40), weight: 1 }];
  const options = resolveOptions({ contentWeight: 2, size: 64 });

  it('at half the output side: 4x the run weight; at the output: the run weight', () => {
    const output = { width: 64, height: 48 };
    expect(buildSpec(toCaffe(content, 32, 24), styles, options, output).contentWeight).toBe(8);
    expect(buildSpec(toCaffe(content, 64, 48), styles, options, output).contentWeight).toBe(2);
    expect(buildSpec(toCaffe(content, 32, 24), styles, options, output).styleWeight).toBe(options.styleWeight);
  });

  it('above balanceSize: the output weight scaled down, its stages scaled up from it', () => {
    const balanced = resolveOptions({ contentWeight: 2, size: 64, balanceSize: 32 });
    const output = { width: 64, height: 48 };
    // The output at twice balanceSize counts the content a quarter; its half-side stage as balanceSize would.
    expect(buildSpec(toCaffe(content, 64, 48), styles, balanced, output).contentWeight).toBe(0.5);
    expect(buildSpec(toCaffe(content, 32, 24), styles, balanced, output).contentWeight).toBe(2);
    const unscaled = resolveOptions({ contentWeight: 2, size: 64, balanceSize: null });
    expect(buildSpec(toCaffe(content, 64, 48), styles, unscaled, output).contentWeight).toBe(2);
  });
});
