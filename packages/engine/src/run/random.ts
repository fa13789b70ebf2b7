import { seededRandom } from '@impasto/weights';

/** A small seeded PRNG (mulberry32, `@impasto/weights`' one copy): the same seed gives the same numbers everywhere. */
export const createRandom: (seed: number) => () => number = seededRandom;

/** `length` draws from N(0, std²), seeded (Box-Muller). */
export function gaussianNoise(length: number, seed: number, std: number): Float32Array {
  const random = createRandom(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = std * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
