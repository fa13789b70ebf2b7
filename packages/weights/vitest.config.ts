import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { globalSetup: ['../../scripts/test-scratch-dir.ts'], include: ['src/**/*.test.ts'] },
});
