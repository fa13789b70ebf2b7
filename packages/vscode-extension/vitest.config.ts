import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The extension's `import * as vscode from 'vscode'` gets the typed stand-in (the real module exists only
    // inside VS Code).
    alias: { vscode: fileURLToPath(new URL('./src/test/vscode-fake.ts', import.meta.url)) },
  },
  test: {
    globalSetup: ['../../scripts/test-scratch-dir.ts'],
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
