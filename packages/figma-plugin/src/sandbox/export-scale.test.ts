import { describe, expect, it } from 'vitest';
import { FIGMA_IMAGE_LIMIT, planExport } from './export-scale.js';

describe('planExport', () => {
  it('scales a large layer down so its long side is the chosen size', () => {
    // 1000 × 500 at 512: scale 512/1000 = 0.512 → 512 × 256.
    expect(planExport({ width: 1000, height: 500 }, 512, 'Hero')).toEqual({ scale: 0.512, width: 512, height: 256 });
    // Portrait: the long side is the height. 300 × 1200 at 384: scale 0.32 → 96 × 384.
    expect(planExport({ width: 300, height: 1200 }, 384, 'Tall')).toEqual({ scale: 0.32, width: 96, height: 384 });
  });

  it('never exports past Figma’s 4096 px image limit, whatever size is asked', () => {
    // 10000 × 8000 at 8192 → capped at 4096: scale 0.4096 → 4096 × 3276.8 ≈ 3277.
    const plan = planExport({ width: 10000, height: 8000 }, 8192, 'Poster');
    expect(plan).toEqual({ scale: 0.4096, width: FIGMA_IMAGE_LIMIT, height: 3277 });
  });

  it('renders a small layer larger, up to Figma’s 4x export scale', () => {
    // 200 × 100 at 512: 2.56x. 60 × 40 at 512 would need 8.53x: capped at 4 → 240 × 160.
    expect(planExport({ width: 200, height: 100 }, 512, 'Card')).toEqual({ scale: 2.56, width: 512, height: 256 });
    expect(planExport({ width: 60, height: 40 }, 512, 'Icon')).toEqual({ scale: 4, width: 240, height: 160 });
  });

  it('refuses a layer too thin or too small to leave 16 px on its short side, naming it and its size', () => {
    // 10000 × 100 at 512: scale 0.0512 → 512 × 5.12 ≈ 5 px.
    expect(() => planExport({ width: 10000, height: 100 }, 512, 'Divider')).toThrow(
      '"Divider" is too small or too thin to stylize: 10000 × 100 exports as 512 × 5 px, and each side needs at least 16 px',
    );
    // 3 × 3 at 4x is 12 × 12.
    expect(() => planExport({ width: 3, height: 3 }, 512, 'Dot')).toThrow(/"Dot" is too small or too thin/);
    // Just enough: 1000 × 32 at 512 → 512 × 16.384 ≈ 16.
    expect(planExport({ width: 1000, height: 32 }, 512, 'Band').height).toBe(16);
  });

  it('refuses layers without area and sizes below 1 px', () => {
    expect(() => planExport({ width: 100, height: 0 }, 512, 'Line')).toThrow('"Line" has no area to stylize (100 × 0)');
    expect(() => planExport({ width: 100, height: 100 }, 0, 'Box')).toThrow('the size must be at least 1 px (got 0)');
  });
});
