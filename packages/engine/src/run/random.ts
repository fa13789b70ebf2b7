/** A small seeded PRNG (mulberry32): the same seed gives the same numbers on every platform. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
