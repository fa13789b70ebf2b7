import { DEFAULT_OPTIONS, nodeHostMemory } from '@impasto/engine/node';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../cli-options.js';
import { type OptionSpec, optionsUsage, parseCommandLine } from './command-line.js';
import { createDownloadBar } from './status-line.js';

const TABLE: readonly OptionSpec[] = [
  { name: 'float32', help: 'store float32' },
  { name: 'mirror', value: 'URL', multiple: true, help: 'try this URL first' },
  { name: 'size', short: 's', value: 'N', help: ['longest side', 'in pixels'], default: () => '512' },
];

describe('the command lines: one argv parser', () => {
  it('parses flags, repeated values, short names and positionals; rejects unknown options and missing values', () => {
    const args = parseCommandLine(['--', '--float32', '--mirror', 'a', 'dir', '--mirror', 'b', '-s', '64'], TABLE);
    expect(args.values).toEqual({ float32: true, mirror: ['a', 'b'], size: '64' });
    expect(args.positionals).toEqual(['dir']);
    expect(() => parseCommandLine(['--f32'], TABLE)).toThrow(/^Unknown option '--f32'$/);
    expect(() => parseCommandLine(['--mirror'], TABLE)).toThrow("Option '--mirror <value>' argument missing");
  });

  it('writes the usage from the same table: names, help lines, the default after the last line', () => {
    expect(optionsUsage(TABLE).split('\n')).toEqual([
      '      --float32            store float32',
      '      --mirror URL         try this URL first',
      '  -s, --size N             longest side',
      `                           in pixels${' '.repeat(51)} [512]`,
    ]);
  });

  it("the impasto usage takes its defaults from the engine's", () => {
    expect(USAGE).toMatch(new RegExp(`--iterations N .*\\n.*\\[${DEFAULT_OPTIONS.iterations}\\]\\n`));
    expect(USAGE).toMatch(/--tv-weight W .*\[0\.001\]\n/);
    const here = (nodeHostMemory().bytes / 1024 ** 3).toFixed(1);
    expect(USAGE).toMatch(
      new RegExp(`--max-memory SIZE (.*\\n){2}.*\\[a fifth of RAM, at least 4G: ${here}G here\\]\n`),
    );
  });
});

describe('the command lines: one progress display', () => {
  it('a download off a terminal prints a line per tenth', () => {
    const lines: string[] = [];
    const bar = createDownloadBar('download', { isTTY: false, write: (s: string) => lines.push(s) > 0 });
    for (let n = 0; n <= 100; n += 5) bar.update(n * 1024 * 1024, 100 * 1024 * 1024);
    expect(lines.length).toBe(11);
    expect(lines.at(-1)).toBe(`download [${'#'.repeat(30)}] 100% 100.0 MB of 100.0 MB\n`);
  });

  it('on a terminal it redraws in place at most every 100 ms, the end always, and ends the line once', () => {
    const written: string[] = [];
    let now = 0;
    const bar = createDownloadBar('download', { isTTY: true, write: (s: string) => written.push(s) > 0 }, () => now);
    bar.update(1, 4);
    now = 50;
    bar.update(2, 4);
    bar.update(4, 4);
    bar.done();
    bar.done();
    expect(written.map((s) => s.slice(0, 20))).toEqual(['\r\x1b[2Kdownload [#####', '\r\x1b[2Kdownload [#####', '\n']);
    expect(written[1]).toContain('100% 0.0 MB of 0.0 MB');
  });
});
