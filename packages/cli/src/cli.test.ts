import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_IMAGES_DIR, TEST_WEIGHTS_DIR } from '@impasto/engine/testing';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

function impasto(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, IMPASTO_WEIGHTS: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let content: string;
let style: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'impasto-cli-'));
  content = path.join(dir, 'content.png');
  style = path.join(dir, 'style.png');
  const noise = (seed: number) =>
    Buffer.from(Array.from({ length: 40 * 30 * 3 }, (_, i) => (i * 37 + seed * 101) % 251));
  await sharp(noise(1), { raw: { width: 40, height: 30, channels: 3 } })
    .png()
    .toFile(content);
  await sharp(noise(2), { raw: { width: 40, height: 30, channels: 3 } })
    .png()
    .toFile(style);
});

describe('impasto command line: bad input', () => {
  it('--help prints usage and exits 0', () => {
    const r = impasto(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: impasto <content> <style>');
  });

  it('a missing content file: one line on stderr, exit 1, no output', () => {
    const out = path.join(dir, 'missing.png');
    const r = impasto([path.join(dir, 'nope.jpg'), style, '-o', out, '-w', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`impasto: file not found: ${path.join(dir, 'nope.jpg')}`);
    expect(readdirSync(dir)).not.toContain('missing.png');
  });

  it('a file that is not an image: exit 1', () => {
    const text = path.join(dir, 'notes.jpg');
    writeFileSync(text, 'this is not a JPEG');
    const r = impasto([content, text, '-o', path.join(dir, 'x.png')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not an image');
  });

  it('a truncated image: exit 1', async () => {
    const full = await sharp(path.join(dir, 'content.png')).jpeg().toBuffer();
    const cut = path.join(dir, 'cut.jpg');
    writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    const r = impasto([cut, style, '-o', path.join(dir, 'x.png')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/impasto: (cannot read image|not an image)/);
  });

  it('nonsense option values: exit 2 with the reason', () => {
    expect(impasto([content, style, '-o', 'x.png', '--iterations', '-5']).code).toBe(2);
    expect(impasto([content, style, '-o', 'x.png', '--iterations=-5']).stderr).toContain(
      'iterations must be a whole number from 1 to 100000 (got -5)',
    );
    expect(impasto([content, style, '-o', 'x.png', '--size', 'big']).code).toBe(2);
    expect(impasto([content, style, '-o', 'x.png', '--optimizer', 'sgd']).code).toBe(2);
    expect(impasto([content, style, '-o', 'x.png', '--style-layers', 'conv9_9']).stderr).toContain(
      'unknown layer conv9_9',
    );
    expect(impasto([content, '-o', 'x.png']).code).toBe(2);
  });

  it('an unsupported output format: exit 1 before any work', () => {
    const r = impasto([content, style, '-o', path.join(dir, 'out.gif')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('use one of .png, .jpg, .jpeg, .webp');
  });

  it('a mask that is not drawn over the content (another shape): exit 1 with the reason, no output', async () => {
    const mask = path.join(dir, 'tall-mask.png');
    await sharp({ create: { width: 10, height: 30, channels: 3, background: '#fff' } })
      .png()
      .toFile(mask);
    const out = path.join(dir, 'masked.png');
    const r = impasto([content, style, '-o', out, '--mask', mask, '-w', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the mask of style image 1 is 10x30, which does not have the content image's shape");
    expect(readdirSync(dir)).not.toContain('masked.png');
  });

  it('a size above the content says on stderr that it upsamples', () => {
    const r = impasto([content, style, '-o', path.join(dir, 'x.png'), '-s', '80', '-w', path.join(dir, 'none')]);
    expect(r.stderr).toContain('impasto: the content is 40x30; upsampling it to 80x60 (--size 80)');
  });

  it('a weights folder that is missing: exit 1 and how to get them', () => {
    const r = impasto([content, style, '-o', path.join(dir, 'x.png'), '--weights', path.join(dir, 'no-weights')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no VGG19 weights at');
    expect(r.stderr).toContain('pnpm models:fetch');
  });
});

describe.skipIf(!TEST_WEIGHTS_DIR || !TEST_IMAGES_DIR)('impasto command line on the real partial weights', () => {
  it('layers the weights lack: exit 1, names the available ones, no output', () => {
    const out = path.join(dir, 'deep.png');
    const r = impasto([content, style, '-o', out, '-w', TEST_WEIGHTS_DIR as string, '-i', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the weights lack conv4_1, conv4_2, conv5_1; available layers: conv1_1');
    expect(readdirSync(dir)).not.toContain('deep.png');
  });

  it('a size that --max-memory cannot hold: exit 1 before the run starts, the largest size that fits, no output', () => {
    const out = path.join(dir, 'too-big.png');
    const args = [
      '-o',
      out,
      '-w',
      TEST_WEIGHTS_DIR as string,
      '--preset',
      'shallow',
      '-s',
      '1024',
      '--max-memory',
      '64M',
    ];
    const r = impasto([content, style, ...args]);
    expect(r.code).toBe(1);
    // The run's own 268 B a pixel (14 float32 vectors of L-BFGS at its least, 3 image buffers, conv3_2's features)
    // within ¾ of 64 MiB: 187 805 px; 500x375 fits, 1024x768 (0.26 GiB) does not (memory-policy.ts).
    expect(r.stderr).toContain('a 1024x768 result needs 0.26 GiB of memory (its optimiser 0.12 GiB)');
    expect(r.stderr).toContain('the largest size that fits is 500 px; choose a smaller --size, or allow more with');
    expect(readdirSync(dir)).not.toContain('too-big.png');
  });

  it('stylizes, prints one JSON line per iteration, writes a PNG of the right size and intermediates', async () => {
    const out = path.join(dir, 'result.png');
    const r = impasto(
      [
        path.join(TEST_IMAGES_DIR as string, 'tubingen.jpg'),
        path.join(TEST_IMAGES_DIR as string, 'starry_night.jpg'),
        '-o',
        out,
        '--preset',
        'shallow',
        '--size',
        '48',
        '-i',
        '4',
        '--json',
        '--save-every',
        '2',
      ],
      { IMPASTO_WEIGHTS: TEST_WEIGHTS_DIR as string },
    );
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    const all = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const lines = all.slice(0, -1);
    // Iteration 0 is the starting image (one evaluation); each step evaluates at least once more.
    expect(lines.map((l) => l.iteration)).toEqual([0, 1, 2, 3, 4]);
    // Four iterations are too few for the stopping rule's window: the run used them all, and says so twice.
    expect(lines.map((l) => l.stopReason)).toEqual([undefined, undefined, undefined, undefined, 'iterations']);
    expect(all.at(-1)).toMatchObject({ result: true, stopReason: 'iterations', iterations: 4, width: 48, height: 36 });
    expect(lines[0].evaluations).toBe(1);
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i].evaluations).toBeGreaterThan(lines[i - 1].evaluations);
      expect(lines[i].total).toBeLessThanOrEqual(lines[i - 1].total);
    }
    for (const l of lines) expect(l.total).toBeCloseTo(l.content + l.style + l.tv, 0);
    expect(r.stderr).toMatch(new RegExp(`4 iterations \\(${lines[4].evaluations} evaluations; all iterations used\\)`));
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 48, 36]);
    expect(readdirSync(dir)).toContain('result.iter0002.png');
  });

  it('ends once the picture stops changing (--tolerance), before the --iterations ceiling, and says so', () => {
    const images = TEST_IMAGES_DIR as string;
    const r = impasto(
      [
        ...[path.join(images, 'tubingen.jpg'), path.join(images, 'starry_night.jpg'), '-o', path.join(dir, 'c.png')],
        ...['--preset', 'shallow', '--size', '48', '-i', '200', '--tolerance', '0.2', '--json'],
      ],
      { IMPASTO_WEIGHTS: TEST_WEIGHTS_DIR as string },
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const result = lines.at(-1);
    const progress = lines.slice(0, -1);
    expect(result).toMatchObject({ result: true, stopReason: 'converged' });
    expect(result.iterations).toBeLessThan(200);
    expect(progress.at(-1)).toMatchObject({ iteration: result.iterations, stopReason: 'converged' });
    // The rule held where it fired: over the last 10 iterations the loss fell by less than 20% of its last value.
    const window = progress.slice(-11).map((l) => l.total);
    expect(Math.max(...window) - Math.min(...window)).toBeLessThan(0.2 * (window.at(-1) as number));
    expect(r.stderr).toContain('the picture stopped changing');
  });

  it('a tiled run (--tile-size) names its tiles on stderr; the --json lines stay one per iteration', () => {
    const images = TEST_IMAGES_DIR as string;
    const out = path.join(dir, 'tiled.png');
    const r = impasto(
      [
        ...[path.join(images, 'tubingen.jpg'), path.join(images, 'starry_night.jpg'), '-o', out],
        ...['--preset', 'shallow', '--size', '48', '-i', '1', '--tile-size', '32', '--json'],
      ],
      { IMPASTO_WEIGHTS: TEST_WEIGHTS_DIR as string },
    );
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).iteration),
    ).toEqual([0, 1, undefined]); // the last line is the result
    // A log gets a tile line at most every 5 s, the first at once: the style targets' first tile.
    expect(r.stderr).toMatch(/^style targets: tile 1 of \d+$/m);
  });

  it('two styles under a mask and its inverse (--mask F --mask invert:F): a PNG of the right size', async () => {
    const mask = path.join(dir, 'half-mask.png');
    const half = Buffer.from(Array.from({ length: 64 * 48 }, (_, i) => (i % 64 < 32 ? 255 : 0)));
    await sharp(half, { raw: { width: 64, height: 48, channels: 1 } })
      .png()
      .toFile(mask);
    const out = path.join(dir, 'two-masked.png');
    const images = TEST_IMAGES_DIR as string;
    const r = impasto(
      [
        path.join(images, 'tubingen.jpg'),
        path.join(images, 'starry_night.jpg'),
        path.join(images, 'the_scream.jpg'),
        '--mask',
        mask,
        '--mask',
        `invert:${mask}`,
        '-o',
        out,
        '--preset',
        'shallow',
        '--size',
        '48',
        '-i',
        '2',
        '-q',
      ],
      { IMPASTO_WEIGHTS: TEST_WEIGHTS_DIR as string },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([48, 36]);
  });
});
