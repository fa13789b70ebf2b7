/** IEEE 754 half precision (binary16) <-> float32, for weights stored as float16. */

let decodeTable: Float32Array | undefined;

/** All 65536 half values as float32, built once: decoding is then one table lookup per value. */
function halfTable(): Float32Array {
  if (decodeTable) return decodeTable;
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) table[bits] = halfBitsToNumber(bits);
  decodeTable = table;
  return table;
}

/** The value of one half-precision bit pattern (sign, 5 exponent bits, 10 mantissa bits). */
export function halfBitsToNumber(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  let magnitude: number;
  if (exponent === 0)
    magnitude = mantissa * 2 ** -24; // zero and subnormals
  else if (exponent === 0x1f) magnitude = mantissa === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else magnitude = (1024 + mantissa) * 2 ** (exponent - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}

/** Half bit patterns (little-endian uint16 as read from a shard) to float32 values. */
export function float16ToFloat32(halves: Uint16Array): Float32Array {
  const table = halfTable();
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = table[halves[i] as number] as number;
  return out;
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** The nearest half to a number (round to nearest, ties to even); overflow gives +-Infinity's pattern. */
export function numberToHalfBits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 112; // rebias 127 -> 15
  if (halfExponent >= 31) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: value / 2^-24, from the 24-bit significand.
    if (halfExponent < -10) return sign;
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const kept = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    const roundUp = rest > halfway || (rest === halfway && (kept & 1) === 1);
    return sign | (kept + (roundUp ? 1 : 0)); // a carry to 0x400 is the smallest normal, as it should be
  }
  const kept = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  const roundUp = rest > 0x1000 || (rest === 0x1000 && (kept & 1) === 1);
  return sign | (kept + (roundUp ? 1 : 0)); // a carry into the exponent is right, up to Infinity
}

/** Float32 values to half bit patterns. Throws for values float16 cannot hold (beyond +-65504, NaN). */
export function float32ToFloat16(values: Float32Array, what = 'value'): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const half = numberToHalfBits(values[i] as number);
    if ((half & 0x7c00) === 0x7c00) {
      throw new Error(`${what}[${i}] = ${values[i]} does not fit float16 (finite range +-65504)`);
    }
    out[i] = half;
  }
  return out;
}
