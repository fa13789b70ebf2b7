import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args.js';
import { progressBar } from './progress-bar.js';

describe('cli helpers', () => {
  it('parses flags, repeated values and positionals; rejects unknown options', () => {
    const args = parseArgs(['--float32', '--mirror', 'a', 'dir', '--mirror', 'b'], ['--float32'], ['--mirror']);
    expect([...args.flags]).toEqual(['--float32']);
    expect(args.values.get('--mirror')).toEqual(['a', 'b']);
    expect(args.positional).toEqual(['dir']);
    expect(() => parseArgs(['--f32'], ['--float32'], [])).toThrow('unknown option --f32');
    expect(() => parseArgs(['--mirror'], [], ['--mirror'])).toThrow('--mirror needs a value');
  });

  it('prints a progress line per tenth when stderr is not a terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressBar('download', stream);
    for (let n = 0; n <= 100; n += 5) bar.update(n * 1024 * 1024, 100 * 1024 * 1024);
    expect(lines.length).toBe(11);
    expect(lines.at(-1)).toBe(`download [${'#'.repeat(30)}] 100% 100.0 MB of 100.0 MB\n`);
  });
});
