import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16, halfBitsToNumber, numberToHalfBits } from './float16.js';
import { seededRandom } from './testing/index.js';

// Hand-computed from the binary16 layout: sign | 5-bit exponent (bias 15) | 10-bit mantissa.
const KNOWN: Array<[number, number]> = [
  [0x0000, 0],
  [0x3c00, 1],
  [0xc000, -2],
  [0x3555, 0.333251953125], // 2^-2 * (1 + 341/1024)
  [0x2e66, 0.0999755859375], // nearest half to 0.1
  [0x7bff, 65504], // largest finite
  [0x0400, 2 ** -14], // smallest normal
  [0x0001, 2 ** -24], // smallest subnormal
  [0x03ff, 1023 * 2 ** -24], // largest subnormal
  [0x8001, -(2 ** -24)],
];

describe('half -> float', () => {
  it('decodes hand-computed patterns, including subnormals', () => {
    for (const [bits, value] of KNOWN) expect(halfBitsToNumber(bits)).toBe(value);
    expect(Object.is(halfBitsToNumber(0x8000), -0)).toBe(true);
    expect(halfBitsToNumber(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(halfBitsToNumber(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
    expect(halfBitsToNumber(0x7e00)).toBeNaN();
  });

  it('decodes arrays through the lookup table', () => {
    const bits = Uint16Array.from(KNOWN.map(([b]) => b));
    expect(Array.from(float16ToFloat32(bits))).toEqual(KNOWN.map(([, v]) => v));
  });
});

describe('float -> half', () => {
  it('encodes hand-computed values', () => {
    for (const [bits, value] of KNOWN) expect(numberToHalfBits(value)).toBe(bits);
    expect(numberToHalfBits(0.1)).toBe(0x2e66);
    expect(numberToHalfBits(-0)).toBe(0x8000);
  });

  it('rounds to nearest, ties to even, in normal and subnormal range', () => {
    expect(numberToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 (even) and 1+2^-10
    expect(numberToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie between odd 0x3c01 and even 0x3c02
    expect(numberToHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just above the tie
    expect(numberToHalfBits(2 ** -25)).toBe(0x0000); // tie between 0 (even) and 2^-24
    expect(numberToHalfBits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(numberToHalfBits(3 * 2 ** -25)).toBe(0x0002); // 1.5 * 2^-24: tie, to even 2
    expect(numberToHalfBits(2 ** -14 - 2 ** -25)).toBe(0x0400); // rounds up out of the subnormals
    expect(numberToHalfBits(2 ** -26)).toBe(0x0000);
    expect(numberToHalfBits(65519)).toBe(0x7bff);
    expect(numberToHalfBits(65520)).toBe(0x7c00); // ties to even: overflows to Infinity
  });

  it('round-trips every finite half exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      if (numberToHalfBits(halfBitsToNumber(bits)) !== bits) throw new Error(`0x${bits.toString(16)} changed`);
    }
  });

  it('picks the nearest half for random floats across the whole range', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 20000; i++) {
      const x = Math.fround((random() * 2 - 1) * 2 ** (random() * 42 - 26)); // 2^-26 .. 2^16
      if (Math.abs(x) > 65504) continue;
      const bits = numberToHalfBits(x);
      const error = Math.abs(halfBitsToNumber(bits) - x);
      for (const neighbour of [bits - 1, bits + 1]) {
        if (neighbour < 0 || (neighbour & 0x7fff) >= 0x7c00 || (neighbour ^ bits) & 0x8000) continue;
        if (Math.abs(halfBitsToNumber(neighbour) - x) < error)
          throw new Error(`${x}: 0x${bits.toString(16)} is not nearest`);
      }
    }
  });

  it('refuses values float16 cannot hold, naming the index', () => {
    expect(() => float32ToFloat16(new Float32Array([1, 70000]), 'w')).toThrow('w[1] = 70000 does not fit float16');
    expect(() => float32ToFloat16(new Float32Array([Number.NaN]))).toThrow('value[0] = NaN');
    expect(Array.from(float32ToFloat16(new Float32Array([1, -2, 65504])))).toEqual([0x3c00, 0xc000, 0x7bff]);
  });
});
