import { expect } from 'vitest';
import type { Evaluation, LossTerms } from '../compute/loss-program.js';
import { relativeL2 } from './relative-error.js';

/** Loss terms within 1e-5 relative. */
export function expectSameTerms(tiled: LossTerms, untiled: LossTerms, what = ''): void {
  for (const term of ['content', 'style', 'tv', 'total'] as const) {
    const [a, b] = [tiled[term], untiled[term]];
    expect(Math.abs(a - b), `${what}${term}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-5 * Math.abs(b));
  }
}

/** Loss terms within 1e-5 relative, gradient within 1e-4 relative L2. */
export function expectSameEvaluation(tiled: Evaluation, untiled: Evaluation): void {
  expectSameTerms(tiled.terms, untiled.terms);
  expect(relativeL2(tiled.gradient, untiled.gradient)).toBeLessThan(1e-4);
}
