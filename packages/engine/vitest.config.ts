import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../scripts/test-scratch-dir.ts'],
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/testing/test-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
