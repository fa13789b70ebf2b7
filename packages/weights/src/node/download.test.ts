import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/index.js';
import { serveBytes, serveThenCut, startTestServer, type TestServer } from '../testing/test-server.js';
import { downloadFromMirrors } from './download.js';

const random = seededRandom(9);
const body = Uint8Array.from({ length: 200_000 }, () => Math.floor(random() * 256));
const md5 = createHash('md5').update(body).digest('hex');
let server: TestServer;
let dir: string;
let dest: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'impasto-dl-'));
  dest = join(dir, 'file.h5');
  server.routes.clear();
  server.requests.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const url = (path: string) => `${server.base}${path}`;

describe('downloadFromMirrors', () => {
  it('falls back from a failing mirror to the next and reports progress to the full size', async () => {
    server.routes.set('/good', serveBytes(body));
    const progress: number[] = [];
    const result = await downloadFromMirrors([url('/missing'), url('/good')], dest, md5, {
      onProgress: (n, total) => {
        expect(total).toBe(body.length);
        progress.push(n);
      },
    });
    expect(result.url).toBe(url('/good'));
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);
    expect(progress.at(-1)).toBe(body.length);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('resumes a partial file with a Range request', async () => {
    server.routes.set('/good', serveBytes(body));
    await writeFile(`${dest}.part`, body.subarray(0, 12345));
    await downloadFromMirrors([url('/good')], dest, md5);
    expect(server.requests).toEqual([{ url: '/good', range: 'bytes=12345-' }]);
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);
  });

  it('starts over when the server ignores Range, or the partial file is already too long', async () => {
    server.routes.set('/plain', serveBytes(body, { ignoreRange: true }));
    await writeFile(`${dest}.part`, body.subarray(0, 999));
    await downloadFromMirrors([url('/plain')], dest, md5);
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);

    server.routes.set('/good', serveBytes(body));
    await rm(dest);
    await writeFile(`${dest}.part`, new Uint8Array(body.length + 10)); // 416 from the server
    await downloadFromMirrors([url('/good')], dest, md5);
    expect(server.requests.slice(-2).map((r) => r.range)).toEqual([`bytes=${body.length + 10}-`, undefined]);
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);
  });

  it('resumes on the next mirror after a connection drops mid-transfer', async () => {
    server.routes.set('/cut', serveThenCut(body, 70_000));
    server.routes.set('/good', serveBytes(body));
    const lines: string[] = [];
    await downloadFromMirrors([url('/cut'), url('/good')], dest, md5, { log: (l) => lines.push(l) });
    const resumedAt = Number(/bytes=(\d+)-/.exec(server.requests[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(70_000);
    expect(lines.join('\n')).toMatch(/interrupted at \d+ bytes|stopped at \d+ of 200000 bytes/);
    expect(Buffer.compare(await readFile(dest), body)).toBe(0);
  });

  it('deletes a download whose md5 is wrong and keeps an interrupted one for the next run', async () => {
    const corrupt = body.slice();
    corrupt[150_000] = (corrupt[150_000] as number) ^ 0xff; // past what /cut delivers
    server.routes.set('/corrupt', serveBytes(corrupt));
    server.routes.set('/cut', serveThenCut(body, 50_000));
    const failure = downloadFromMirrors([url('/corrupt'), url('/cut')], dest, md5);
    await expect(failure).rejects.toThrow(
      `${url('/corrupt')}: checksum mismatch (md5 ${createHash('md5').update(corrupt).digest('hex')}, expected ${md5})`,
    );
    await expect(failure).rejects.toThrow(`A partial download is kept in ${dest}.part`);
    expect(existsSync(dest)).toBe(false);

    await expect(downloadFromMirrors([url('/corrupt')], dest, md5)).rejects.toThrow('checksum mismatch');
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });
});
