import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildPlugin, DEFAULT_PLUGIN_ID, DEFAULT_WEIGHTS_URL } from './build.js';
import { manifestProblems } from './manifest.js';

describe('pnpm build', () => {
  it('writes a plugin folder Figma accepts: manifest, sandbox code and one self-contained HTML file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-build-'));
    const weightsUrl = 'https://weights.example.com/impasto/vgg19/';
    const { manifest, sizes } = await buildPlugin({ outDir: dir, weightsUrl, pluginId: '1400000000000000000' });

    const written = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(written).toEqual(manifest);
    expect(manifestProblems(written, dir, weightsUrl)).toEqual([]);
    expect(written.id).toBe('1400000000000000000');
    expect(written.networkAccess.allowedDomains).toEqual(['https://weights.example.com']);

    // The UI: one file, nothing loaded from elsewhere but the weights (its URL baked in).
    const html = readFileSync(path.join(dir, 'ui.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
    expect(html).toContain(JSON.stringify(weightsUrl));
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    // tfjs, ONNX Runtime's WebAssembly (4.9 MB, gzipped and base64) and the examples are inside.
    expect(sizes['ui.html']).toBeGreaterThan(5_000_000);
    expect(/"H4sI[A-Za-z0-9+/]{4000000,}={0,2}"/.test(html)).toBe(true); // a gzip stream's base64 starts H4sI

    // The sandbox: runs in a bare JavaScript context (no window, no document) and calls figma.showUI with __html__.
    const code = readFileSync(path.join(dir, 'code.js'), 'utf8');
    const calls: string[] = [];
    const figma = {
      currentPage: { selection: [] },
      showUI: (html: string) => calls.push(`showUI ${html}`),
      on: (type: string) => calls.push(`on ${type}`),
      ui: { postMessage() {}, onmessage: undefined as unknown },
    };
    vm.runInNewContext(code, { figma, __html__: '<p>the ui</p>' });
    expect(calls).toEqual(['showUI <p>the ui</p>', 'on selectionchange']);
    expect(typeof figma.ui.onmessage).toBe('function');
  });

  it('defaults to the development weights server and id', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-build-'));
    const { manifest } = await buildPlugin({ outDir: dir, minify: false });
    expect(manifest.id).toBe(DEFAULT_PLUGIN_ID);
    expect(manifest.networkAccess.allowedDomains).toEqual([new URL(DEFAULT_WEIGHTS_URL).origin]);
  });

  it('refuses a weights URL Figma could not reach', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impasto-build-'));
    await expect(buildPlugin({ outDir: dir, weightsUrl: 'http://weights.example.com/' })).rejects.toThrow(
      'the weights URL must be https',
    );
  });
});
