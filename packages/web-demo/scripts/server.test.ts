import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileFor, type SiteServer, serveSite } from './server.js';

describe('fileFor', () => {
  it('maps request paths below the folder and refuses ones that leave it', () => {
    expect(fileFor('/srv/site', '/wasm/a.wasm')).toBe('/srv/site/wasm/a.wasm');
    expect(fileFor('/srv/site', '')).toBe('/srv/site');
    expect(fileFor('/srv/site', '/../site2/x')).toBeUndefined();
    expect(fileFor('/srv/site', '/a/../../etc/passwd')).toBeUndefined();
  });
});

describe('the dev and preview server', () => {
  let root: string;
  let server: SiteServer;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'impasto-serve-'));
    mkdirSync(path.join(root, 'site'));
    mkdirSync(path.join(root, 'weights'));
    writeFileSync(path.join(root, 'site', 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(path.join(root, 'site', 'app.js'), 'export {};');
    writeFileSync(path.join(root, 'weights', 'weights_manifest.json'), '[]');
    writeFileSync(path.join(root, 'secret.txt'), 'outside');
    server = await serveSite({ mounts: { '/': path.join(root, 'site'), '/weights/': path.join(root, 'weights') } });
  });
  afterAll(() => server?.close());

  it('serves the page with cross-origin isolation and revalidation headers', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>demo</title>');
    expect(
      Object.fromEntries(
        ['content-type', 'cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cache-control'].map((h) => [
          h,
          response.headers.get(h),
        ]),
      ),
    ).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-cache',
    });
    expect((await fetch(`${server.url}/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves a mounted folder under its prefix', async () => {
    const response = await fetch(`${server.url}/weights/weights_manifest.json`);
    expect([response.status, await response.text()]).toEqual([200, '[]']);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('answers 304 to a revalidation of an unchanged file', async () => {
    const first = await fetch(`${server.url}/app.js`);
    const modified = first.headers.get('last-modified') ?? '';
    const again = await fetch(`${server.url}/app.js`, { headers: { 'If-Modified-Since': modified } });
    expect(again.status).toBe(304);
  });

  it('gives 404 for missing files and for paths that try to leave the folder', async () => {
    expect((await fetch(`${server.url}/nothing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/weights/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/%E0%A4%A`)).status).toBe(404);
  });
});
