import { describe, expect, it } from 'vitest';
import { rosenbrockObjective } from '../testing/optim-problems.js';
import { createOptimizer, type OptimizerName } from './index.js';

describe('createOptimizer', () => {
  it('creates each named optimiser', async () => {
    for (const name of ['lbfgs', 'adam'] as const) {
      const x = Float32Array.of(-1.2, 1);
      const result = await createOptimizer(name).step(x, rosenbrockObjective);
      expect(result.loss).toBeLessThan(24.2);
    }
  });

  it('rejects an unknown name', () => {
    expect(() => createOptimizer('sgd' as OptimizerName)).toThrow(
      'Unknown optimizer "sgd"; expected one of: lbfgs, adam',
    );
  });
});
