/**
 * Vitest globalSetup for every package: the tests' temporary files go into one scratch folder per test run (TMPDIR,
 * which os.tmpdir() and Chromium read), removed when the run ends, so repeated runs leave nothing in the system's
 * temporary folder. Set before the test workers start, so they inherit it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const scratch = mkdtempSync(path.join(tmpdir(), 'impasto-test-'));
  process.env.TMPDIR = scratch;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    try {
      // A browser a test closed may still be writing its profile there: retried, and at worst left with a word.
      rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (error) {
      console.warn(`could not remove the tests' scratch folder ${scratch}: ${(error as Error).message}`);
    }
  };
}
