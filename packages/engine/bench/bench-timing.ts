/** How `pnpm bench:browser` times a path, in a page or in Node: one warm-up evaluation, then the median of `repeats`. */
import type { LossProgram, LossProgramHooks } from '../src/compute/loss-program.js';

export interface BenchResult {
  readonly size: number;
  readonly msPerEvaluation: number;
  /** Each timed evaluation, ms. */
  readonly times: number[];
  /** Building the program (sessions, targets) and its first evaluation, ms. */
  readonly firstMs: number;
  /** Tiles of one evaluation's gradient pass (0: untiled). */
  readonly tiles: number;
  readonly threads: number | null;
  /** A WebAssembly path's heap after this size's evaluations (the peak so far: a heap never shrinks), MiB. */
  readonly wasmHeapMiB?: number;
}

export async function timeEvaluations(
  make: (size: number, hooks: LossProgramHooks) => Promise<LossProgram>,
  size: number,
  x: Float32Array,
  repeats: number,
  threads: number | null,
): Promise<BenchResult> {
  let gradientTiles = 0;
  const t0 = performance.now();
  const program = await make(size, { onTile: (t) => void (t.pass === 'gradient' && gradientTiles++) });
  try {
    await program.evaluate(x);
    const firstMs = performance.now() - t0;
    const tiles = gradientTiles;
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      await program.evaluate(x);
      times.push(performance.now() - t);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const msPerEvaluation = sorted[Math.floor(sorted.length / 2)] as number;
    return { size, msPerEvaluation, times, firstMs, tiles, threads };
  } finally {
    program.dispose();
  }
}
