import { expect } from 'vitest';
import type { Evaluation } from '../loss-program.js';
import { relativeL2 } from '../relative-error.js';

/** Loss terms within 1e-5 relative, gradient within 1e-4 relative L2. */
export function expectSameEvaluation(tiled: Evaluation, untiled: Evaluation): void {
  for (const term of ['content', 'style', 'tv', 'total'] as const) {
    const [a, b] = [tiled.terms[term], untiled.terms[term]];
    expect(Math.abs(a - b), `${term}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-5 * Math.abs(b));
  }
  expect(relativeL2(tiled.gradient, untiled.gradient)).toBeLessThan(1e-4);
}
