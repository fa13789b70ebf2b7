import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const realWeights = process.env.IMPASTO_TEST_WEIGHTS;
if (!realWeights) console.log('skipping models:verify on real weights: IMPASTO_TEST_WEIGHTS is not set');

describe.skipIf(!realWeights)('the real partial weights (IMPASTO_TEST_WEIGHTS)', () => {
  it('pass models:verify as a valid partial set with exactly block1_conv1..block3_conv4', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/verify-cli.ts', realWeights as string], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, INIT_CWD: '' },
    });
    expect(stdout).toContain(`valid: ${realWeights}`);
    const names = [...stdout.matchAll(/^conv\d_\d\s+(block\d_conv\d)\s+float32/gm)].map((m) => m[1]);
    expect(names).toEqual([
      'block1_conv1',
      'block1_conv2',
      'block2_conv1',
      'block2_conv2',
      'block3_conv1',
      'block3_conv2',
      'block3_conv3',
      'block3_conv4',
    ]);
    expect(stdout).toContain('partial: the default set also needs conv4_1, conv4_2, conv4_3, conv4_4, conv5_1');
  }, 60_000);
});
