/** The middle value of xs (the upper one of the two middles when xs has an even length); the benchmarks' figure. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
