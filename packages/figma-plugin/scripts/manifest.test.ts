import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { weightsUrlProblem } from '../src/network-access.js';
import { createManifest, domainAllows, manifestProblems, weightsOrigin } from './manifest.js';

/** A folder with the files a manifest names. */
function pluginDir(files: Record<string, string> = { 'code.js': 'x', 'ui.html': '<p>' }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'impasto-manifest-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('weightsOrigin', () => {
  it('allows https anywhere and http only on this machine', () => {
    expect(weightsOrigin('https://cdn.example.com/impasto/vgg19/')).toEqual({
      origin: 'https://cdn.example.com',
      local: false,
    });
    expect(weightsOrigin('http://localhost:8787/')).toEqual({ origin: 'http://localhost:8787', local: true });
    expect(() => weightsOrigin('http://cdn.example.com/')).toThrow('must be https (or http on localhost');
    expect(() => weightsOrigin('weights/')).toThrow('"weights/" is not an absolute URL');
  });
});

describe('domainAllows', () => {
  const url = (u: string) => new URL(u);
  it('matches Figma’s forms of allowed domains', () => {
    expect(domainAllows('https://cdn.example.com', url('https://cdn.example.com/w/x.bin'))).toBe(true);
    expect(domainAllows('https://cdn.example.com', url('http://cdn.example.com/w/x.bin'))).toBe(false);
    expect(domainAllows('*.example.com', url('https://cdn.example.com/x'))).toBe(true);
    expect(domainAllows('*.example.com', url('https://example.org/x'))).toBe(false);
    expect(domainAllows('example.com/api/', url('https://example.com/api/v1'))).toBe(true);
    expect(domainAllows('example.com/api/', url('https://example.com/other'))).toBe(false);
    expect(domainAllows('http://localhost:8787', url('http://localhost:8787/w'))).toBe(true);
    expect(domainAllows('http://localhost:8787', url('http://localhost:9000/w'))).toBe(false);
  });
});

describe('the manifest', () => {
  it('for a hosted weights URL allows exactly that origin', () => {
    const m = createManifest({ weightsUrl: 'https://cdn.example.com/impasto/', id: '1234' });
    expect(m).toMatchObject({
      name: 'Impasto',
      id: '1234',
      api: '1.0.0',
      main: 'code.js',
      ui: 'ui.html',
      editorType: ['figma'],
      documentAccess: 'dynamic-page',
      networkAccess: { allowedDomains: ['https://cdn.example.com'] },
    });
    expect(m.networkAccess.devAllowedDomains).toBeUndefined();
    expect(manifestProblems(m, pluginDir(), 'https://cdn.example.com/impasto/')).toEqual([]);
  });

  it('allows the further origins the build names, with the reason, and the UI refuses any other', () => {
    const m = createManifest({
      weightsUrl: 'https://cdn.example.com/impasto/',
      id: '1',
      extraDomains: ['https://weights.example.org/x/', 'http://localhost:8787'],
    });
    expect(m.networkAccess.allowedDomains).toEqual([
      'https://cdn.example.com',
      'https://weights.example.org',
      'http://localhost:8787',
    ]);
    expect(m.networkAccess.devAllowedDomains).toEqual(['http://localhost:8787']);
    expect(m.networkAccess.reasoning).toContain('VGG19 network weights');
    const allowed = m.networkAccess.allowedDomains;
    expect(weightsUrlProblem('https://weights.example.org/vgg19/', allowed)).toBeNull();
    expect(weightsUrlProblem('https://other.example/vgg19/', allowed)).toMatch(
      /^this build of the plugin may only download from https:\/\/cdn\.example\.com, /,
    );
    expect(weightsUrlProblem('http://weights.example.org/', allowed)).toMatch(/must be https/);
    expect(weightsUrlProblem('vgg19/', allowed)).toMatch(/is not an absolute URL/);
    expect(() => createManifest({ weightsUrl: 'https://a.example/', id: '1', extraDomains: ['ftp://x'] })).toThrow(
      'must be https',
    );
  });

  it('for localhost also lists it as a development domain', () => {
    const m = createManifest({ weightsUrl: 'http://localhost:8787/', id: 'dev' });
    expect(m.networkAccess).toMatchObject({
      allowedDomains: ['http://localhost:8787'],
      devAllowedDomains: ['http://localhost:8787'],
    });
  });

  it('is refused when a required field is missing or wrong', () => {
    const good = createManifest({ weightsUrl: 'https://cdn.example.com/', id: '1' });
    const { id: _id, ...noId } = good;
    expect(manifestProblems(noId, pluginDir())).toEqual(['"id" must be a non-empty string']);
    expect(manifestProblems({ ...good, api: 'latest' }, pluginDir())).toEqual(['"api" must look like 1.0.0']);
    expect(manifestProblems({ ...good, editorType: [] }, pluginDir())).toEqual([
      '"editorType" must list at least one editor',
    ]);
    expect(manifestProblems({ ...good, editorType: ['sketch'] }, pluginDir())).toEqual([
      '"editorType" has unknown sketch',
    ]);
    expect(manifestProblems({ ...good, documentAccess: undefined }, pluginDir())).toEqual([
      '"documentAccess" must be "dynamic-page" for new plugins',
    ]);
    expect(manifestProblems([], pluginDir())).toEqual(['manifest.json is not a JSON object']);
  });

  it('is refused when a file it names is missing, empty or outside its folder', () => {
    const m = createManifest({ weightsUrl: 'https://cdn.example.com/', id: '1' });
    expect(manifestProblems(m, pluginDir({ 'code.js': 'x' }))).toEqual(['ui.html is missing or empty']);
    expect(manifestProblems(m, pluginDir({ 'code.js': '', 'ui.html': 'x' }))).toEqual(['code.js is missing or empty']);
    expect(manifestProblems({ ...m, main: '../code.js' }, pluginDir())).toEqual([
      '../code.js is outside the plugin folder',
    ]);
  });

  it('is refused when its network access does not admit the weights, or is malformed', () => {
    const m = createManifest({ weightsUrl: 'https://cdn.example.com/', id: '1' });
    expect(manifestProblems(m, pluginDir(), 'https://other.example.org/w/')).toEqual([
      'networkAccess does not allow the weights URL https://other.example.org/w/',
    ]);
    const access = (allowedDomains: unknown) => ({ ...m, networkAccess: { ...m.networkAccess, allowedDomains } });
    expect(manifestProblems(access([]), pluginDir())).toEqual([
      '"networkAccess.allowedDomains" must list domains (or "none")',
    ]);
    expect(manifestProblems(access(['none', 'https://a.com']), pluginDir())).toEqual([
      '"none" must be the only allowed domain',
    ]);
    expect(manifestProblems(access(['https://a b.com']), pluginDir())).toEqual([
      '"https://a b.com" is not a domain Figma accepts',
    ]);
  });
});
