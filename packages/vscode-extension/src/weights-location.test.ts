import { homedir } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { putWeights, STORAGE } from './test/fixtures.js';
import { fake, resetFake, Uri } from './test/vscode-fake.js';
import {
  hasWeights,
  importWeightsFolder,
  missingWeightsMessage,
  shardFilesOf,
  weightsFolder,
} from './weights-location.js';

describe('where the weights are', () => {
  beforeEach(() => resetFake());

  it('defaults to vgg19/ in the extension storage', () => {
    expect(weightsFolder(STORAGE).path).toBe(`${STORAGE.path}/vgg19`);
  });

  it('follows impasto.weightsPath: absolute, ~/, or relative to the first workspace folder', () => {
    fake.settings.set('impasto.weightsPath', ' /data/vgg19 ');
    expect(weightsFolder(STORAGE).path).toBe('/data/vgg19');
    fake.settings.set('impasto.weightsPath', '~/models/vgg19');
    expect(weightsFolder(STORAGE).path).toBe(`${homedir()}/models/vgg19`);
    fake.settings.set('impasto.weightsPath', 'models/vgg19');
    expect(() => weightsFolder(STORAGE)).toThrow(
      'impasto.weightsPath is relative (models/vgg19) but no folder is open',
    );
    fake.workspaceFolders = [{ uri: Uri.file('/repo'), name: 'repo', index: 0 }];
    expect(weightsFolder(STORAGE).path).toBe('/repo/models/vgg19');
  });

  it('says what to run when they are missing', () => {
    const message = missingWeightsMessage(Uri.file('/s/vgg19'));
    expect(message).toContain('/s/vgg19');
    expect(message).toContain('pnpm models:fetch');
    expect(message).toContain('Impasto: Import Weights Folder…');
    expect(message).toContain('impasto.weightsPath');
  });

  it('lists the shard files a manifest names, refusing paths outside its folder', () => {
    const m = (paths: unknown) => JSON.stringify([{ paths, weights: [] }]);
    expect(shardFilesOf(m(['a.bin', 'b.bin', 'a.bin']))).toEqual(['a.bin', 'b.bin']);
    expect(() => shardFilesOf(m(['../../etc/passwd']))).toThrow('names a file outside its folder: "../../etc/passwd"');
    expect(() => shardFilesOf(m('a.bin'))).toThrow('needs a "paths" list');
    expect(() => shardFilesOf('[]')).toThrow('must be a non-empty list');
    expect(() => shardFilesOf('{oops')).toThrow('weights_manifest.json is not valid JSON');
  });
});

describe('Import Weights Folder', () => {
  const source = Uri.file('/checkout/models/vgg19');
  const stored = Uri.joinPath(STORAGE, 'vgg19');
  beforeEach(() => resetFake());

  it('copies the manifest and its shards into storage', async () => {
    putWeights(source);
    fake.fs.put(Uri.joinPath(source, 'unrelated.txt'), 'x');
    const target = await importWeightsFolder(source, STORAGE);
    expect(target.path).toBe(stored.path);
    expect(fake.fs.filesUnder(STORAGE)).toEqual([
      `${stored.path}/group1-shard1of1`,
      `${stored.path}/group2-shard1of1`,
      `${stored.path}/weights_manifest.json`,
    ]);
    expect(await hasWeights(stored)).toBe(true);
  });

  it('replaces earlier weights', async () => {
    putWeights(stored, ['old-shard']);
    putWeights(source);
    await importWeightsFolder(source, STORAGE);
    expect(fake.fs.filesUnder(STORAGE).map((p) => p.slice(stored.path.length + 1))).toEqual([
      'group1-shard1of1',
      'group2-shard1of1',
      'weights_manifest.json',
    ]);
  });

  it('leaves the previous weights untouched and no partial copy when a shard is missing', async () => {
    putWeights(stored, ['old-shard']);
    putWeights(source);
    await fake.fs.delete(Uri.joinPath(source, 'group2-shard1of1'));
    const before = fake.fs.filesUnder(STORAGE);
    await expect(importWeightsFolder(source, STORAGE)).rejects.toThrow(
      'Could not import the weights from /checkout/models/vgg19: it does not exist',
    );
    expect(fake.fs.filesUnder(STORAGE)).toEqual(before);
    expect([...fake.fs.entries.keys()].some((k) => k.includes('.part'))).toBe(false);
  });

  it('says so when the folder has no manifest', async () => {
    fake.fs.put(Uri.joinPath(source, 'x.bin'), 'x');
    await expect(importWeightsFolder(source, STORAGE)).rejects.toThrow(
      '/checkout/models/vgg19 has no readable weights_manifest.json: it does not exist',
    );
    expect(fake.fs.filesUnder(STORAGE)).toEqual([]);
  });
});
