import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverOptions } from './cli-options.js';
import { resolveSiteWeights } from './weights-source.js';

function weightsFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'impasto-weights-'));
  writeFileSync(path.join(dir, 'weights_manifest.json'), '{"weightsManifest": []}');
  return dir;
}

describe('resolveSiteWeights', () => {
  const empty = () => mkdtempSync(path.join(tmpdir(), 'impasto-none-'));

  it('prefers IMPASTO_WEIGHTS, then the repository folder', () => {
    const named = weightsFolder();
    const repo = weightsFolder();
    expect(resolveSiteWeights({ IMPASTO_WEIGHTS: named }, () => repo)).toEqual({
      dir: named,
      origin: 'IMPASTO_WEIGHTS',
    });
    expect(resolveSiteWeights({}, () => repo)).toEqual({ dir: repo, origin: 'models/vgg19' });
  });

  it('reports no weights, with the reason, when neither has a manifest', () => {
    const repo = empty();
    expect(resolveSiteWeights({}, () => repo)).toEqual({
      dir: undefined,
      reason: `${repo} holds no weights_manifest.json and IMPASTO_WEIGHTS is not set (run \`pnpm models:fetch\`)`,
    });
  });

  it('refuses an IMPASTO_WEIGHTS it cannot copy', () => {
    const dir = empty();
    expect(() => resolveSiteWeights({ IMPASTO_WEIGHTS: dir }, empty)).toThrow(
      `IMPASTO_WEIGHTS names ${dir}, which holds no weights_manifest.json`,
    );
    expect(() => resolveSiteWeights({ IMPASTO_WEIGHTS: 'https://example.org/vgg19/' }, empty)).toThrow(
      /^IMPASTO_WEIGHTS is a URL \(https:\/\/example.org\/vgg19\/\); the web demo copies weights from a folder/,
    );
  });
});

describe('serverOptions', () => {
  it('reads --port and --host, then PORT and HOST, else 8080 on 127.0.0.1', () => {
    expect(serverOptions([], {})).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(serverOptions(['--port', '3000', '--host', '0.0.0.0'], { PORT: '1' })).toEqual({
      port: 3000,
      host: '0.0.0.0',
    });
    expect(serverOptions([], { PORT: '5000', HOST: '::1' })).toEqual({ port: 5000, host: '::1' });
    expect(() => serverOptions(['--port', 'http'], {})).toThrow('--port must be 0–65535, got http');
  });
});
