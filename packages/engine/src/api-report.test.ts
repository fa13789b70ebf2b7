import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicExports, REPORT_PATH, renderReport } from '../scripts/api-report.js';

describe('the public API report (api-report.md)', () => {
  it('lists exactly the exports of src/index.ts', () => {
    const report = renderReport(publicExports());
    const checkedIn = readFileSync(REPORT_PATH, 'utf8');
    expect(
      checkedIn,
      'src/index.ts exports differ from api-report.md: if the change is meant, run `pnpm --filter @impasto/engine api-report` and commit the report',
    ).toBe(report);
  });
});
