/** The packaged .vsix holds the manifest, README and bundles — no sources, no node_modules, no tfjs on the Node side. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageExtension } from './package.js';
import { type ZipEntry, zipEntries } from './zip-entries.js';

describe('the packaged .vsix', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'impasto-vsix-'));
  let entries: ZipEntry[];
  let size: number;
  const read = (name: string) => {
    const entry = entries.find((e) => e.name === name);
    if (!entry) throw new Error(`${name} is not in the .vsix`);
    return entry.read();
  };

  beforeAll(async () => {
    const vsix = await packageExtension(out);
    expect(path.basename(vsix)).toBe('impasto-0.1.0.vsix');
    const bytes = readFileSync(vsix);
    size = bytes.length;
    entries = zipEntries(bytes);
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds exactly the manifest, README and the built bundles', () => {
    expect(entries.map((e) => e.name).sort()).toEqual([
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/dist/extension.cjs',
      'extension/dist/webview/engine-worker.js',
      'extension/dist/webview/examples/embers.jpg',
      'extension/dist/webview/examples/swirls.jpg',
      'extension/dist/webview/examples/waves.jpg',
      'extension/dist/webview/wasm/ort-wasm-simd-threaded.wasm',
      'extension/dist/webview/webview.css',
      'extension/dist/webview/webview.js',
      'extension/package.json',
      'extension/readme.md',
    ]);
    // ONNX Runtime's 14 MB binary deflates to about 3.7 MB; the rest (bundles, examples) about 2.5 MB.
    expect(size).toBeLessThan(8e6);
  });

  it('ships a manifest VS Code can load: plain name, CommonJS entry, contributions, no workspace fields', () => {
    const shipped = JSON.parse(read('extension/package.json').toString('utf8'));
    const source = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(shipped.name).toBe('impasto');
    expect(shipped.publisher).toBe('impasto');
    expect(shipped.main).toBe('./dist/extension.cjs');
    expect(shipped.type).toBeUndefined();
    expect(shipped.scripts).toBeUndefined();
    expect(shipped.dependencies).toBeUndefined();
    expect(shipped.devDependencies).toBeUndefined();
    expect(shipped.contributes).toEqual(source.contributes);
    const vsixManifest = read('extension.vsixmanifest').toString('utf8');
    expect(vsixManifest).toContain('Id="impasto"');
    expect(vsixManifest).toContain('Publisher="impasto"');
  });

  it('keeps the engine in the webview bundle and out of the extension bundle', () => {
    const extension = read('extension/dist/extension.cjs').toString('utf8');
    expect(extension).toContain('require("vscode")');
    // The weights code names the tfjs manifest format in strings; no tfjs module may be bundled.
    expect(extension).not.toMatch(/@tensorflow[+/]|tfjs-core|tfjs-backend|packages\/engine\//);
    expect(extension).toContain('impasto.stylize');
    const webview = read('extension/dist/webview/webview.js').toString('utf8');
    expect(webview).toContain('acquireVsCodeApi');
    expect(webview).toMatch(/webgpu/);
    expect(read('extension/dist/webview/wasm/ort-wasm-simd-threaded.wasm').subarray(0, 4)).toEqual(
      Buffer.from([0, 0x61, 0x73, 0x6d]),
    );
  });
});
