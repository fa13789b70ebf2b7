import { existsSync } from 'node:fs';

/**
 * Test data lives outside the repository (../shared in CI), named by environment variables that .ci/run sets.
 * Tests that need it skip with a printed reason when it is absent.
 */
function dataDir(variable: string): string | undefined {
  const dir = process.env[variable];
  if (dir && existsSync(dir)) return dir;
  console.warn(`skipping tests that need ${variable}: ${dir ? `${dir} does not exist` : 'it is not set'}`);
  return undefined;
}

export const TEST_WEIGHTS_DIR = dataDir('IMPASTO_TEST_WEIGHTS');
export const TEST_IMAGES_DIR = dataDir('IMPASTO_TEST_IMAGES');
