import { describe, expect, it } from 'vitest';
import { resultFileName } from './download.js';

describe('resultFileName', () => {
  it('names the size and the local date and time, zero-padded', () => {
    expect(resultFileName(640, 427, new Date(2025, 0, 2, 3, 4, 5))).toBe('impasto-640x427-20250102-030405.png');
    expect(resultFileName(32, 21, new Date(2024, 11, 31, 23, 59, 58))).toBe('impasto-32x21-20241231-235958.png');
  });
});
