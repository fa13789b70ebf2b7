import { homedir } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { putWeights, STORAGE } from './test/fixtures.js';
import { fake, resetFake, Uri } from './test/vscode-fake.js';
import { hasWeights, importWeightsFolder, missingWeightsMessage, weightsFolder } from './weights-location.js';

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
    expect(message).toContain('Impasto: Download VGG19 Weights');
    expect(message).toContain('pnpm models:fetch');
    expect(message).toContain('Impasto: Import Weights Folder…');
    expect(message).toContain('impasto.weightsPath');
  });
});

describe('Import Weights Folder', () => {
  const source = Uri.file('/checkout/models/vgg19');
  const stored = Uri.joinPath(STORAGE, 'vgg19');
  const manifest = Uri.joinPath(source, 'weights_manifest.json');
  const storedFiles = () => fake.fs.filesUnder(STORAGE).map((p) => p.slice(stored.path.length + 1));
  const editManifest = (edit: (json: { weightsManifest: Record<string, unknown>[] }) => void) => {
    const json = JSON.parse(new TextDecoder().decode(fake.fs.get(manifest)));
    edit(json);
    fake.fs.put(manifest, JSON.stringify(json));
  };
  beforeEach(() => resetFake());

  for (const shape of ['object', 'bare'] as const) {
    it(`copies a folder whose manifest is ${shape === 'object' ? '{format, weightsManifest}' : 'a bare list of groups'}`, async () => {
      putWeights(source, shape);
      fake.fs.put(Uri.joinPath(source, 'unrelated.txt'), 'x');
      const progress: number[] = [];
      const target = await importWeightsFolder(source, STORAGE, (loaded) => progress.push(loaded));
      expect(target.path).toBe(stored.path);
      expect(storedFiles()).toEqual(['block1_conv1.bin', 'block1_conv2.bin', 'weights_manifest.json']);
      expect(fake.fs.get(Uri.joinPath(stored, 'block1_conv2.bin'))).toEqual(
        fake.fs.get(Uri.joinPath(source, 'block1_conv2.bin')),
      );
      expect(progress).toEqual([0, 1792 * 2, (1792 + 36928) * 2]);
      expect(await hasWeights(stored)).toBe(true);
    });
  }

  it('replaces earlier weights', async () => {
    fake.fs.put(Uri.joinPath(stored, 'weights_manifest.json'), '[]');
    fake.fs.put(Uri.joinPath(stored, 'old-shard'), 'x');
    putWeights(source);
    await importWeightsFolder(source, STORAGE);
    expect(storedFiles()).toEqual(['block1_conv1.bin', 'block1_conv2.bin', 'weights_manifest.json']);
  });

  const refusals: [string, () => void, string][] = [
    [
      'a missing shard',
      () => void fake.fs.delete(Uri.joinPath(source, 'block1_conv2.bin')),
      'weights shard not found: /checkout/models/vgg19/block1_conv2.bin',
    ],
    [
      'a path out of the folder',
      () =>
        editManifest((m) => {
          (m.weightsManifest[1] as { paths: string[] }).paths = ['../../etc/passwd'];
        }),
      'shard path "../../etc/passwd" must be a plain relative path inside the manifest\'s folder',
    ],
    [
      'a shard of the wrong size',
      () => fake.fs.put(Uri.joinPath(source, 'block1_conv1.bin'), new Uint8Array(100)),
      'shard /checkout/models/vgg19/block1_conv1.bin is corrupt or was replaced: SHA-256',
    ],
    [
      'a wrong size without SHA-256s',
      () => {
        editManifest((m) => {
          for (const g of m.weightsManifest) delete g.sha256;
        });
        fake.fs.put(Uri.joinPath(source, 'block1_conv1.bin'), new Uint8Array(100));
      },
      "shard /checkout/models/vgg19/block1_conv1.bin truncated: 100 bytes, the manifest's weights need 3584 bytes",
    ],
    [
      'a bad SHA-256',
      () => {
        const bytes = new Uint8Array(fake.fs.get(Uri.joinPath(source, 'block1_conv2.bin')) as Uint8Array);
        bytes[7] = (bytes[7] as number) ^ 1;
        fake.fs.put(Uri.joinPath(source, 'block1_conv2.bin'), bytes);
      },
      'shard /checkout/models/vgg19/block1_conv2.bin is corrupt or was replaced: SHA-256',
    ],
    ['a folder without a manifest', () => void fake.fs.delete(manifest), 'weights manifest not found'],
  ];
  for (const [what, spoil, message] of refusals) {
    it(`refuses ${what}, naming the problem, and leaves the previous weights untouched`, async () => {
      putWeights(stored, 'bare');
      putWeights(source);
      spoil();
      const before = fake.fs.filesUnder(STORAGE).map((p) => [p, fake.fs.get(Uri.file(p))]);
      await expect(importWeightsFolder(source, STORAGE)).rejects.toThrow(
        `Could not import the weights from /checkout/models/vgg19: `,
      );
      await expect(importWeightsFolder(source, STORAGE)).rejects.toThrow(message);
      expect(fake.fs.filesUnder(STORAGE).map((p) => [p, fake.fs.get(Uri.file(p))])).toEqual(before);
      expect([...fake.fs.entries.keys()].some((k) => k.includes('.part'))).toBe(false);
    });
  }
});
