import { beforeEach, describe, expect, it } from 'vitest';
import { resultUriFor, saveBeside } from './save-result.js';
import { pngBytes } from './test/fixtures.js';
import { FileSystemError, fake, resetFake, Uri } from './test/vscode-fake.js';

const folder = Uri.file('/work/site/img');
const original = Uri.joinPath(folder, 'hero.jpg');
const target = Uri.joinPath(folder, 'hero.impasto.png');

describe('saving the result beside the original', () => {
  let png: Uint8Array;
  beforeEach(async () => {
    resetFake();
    png = await pngBytes(12, 8);
    fake.fs.put(original, new Uint8Array([0xff, 0xd8, 0xff, 0]));
  });

  it('names it <name>.impasto.png in the same folder, keeping scheme and authority', () => {
    expect(resultUriFor(original).toString()).toBe('file:///work/site/img/hero.impasto.png');
    const remote = Uri.parse('vscode-remote://ssh-remote+box/home/me/a.b.webp');
    expect(resultUriFor(remote).toString()).toBe('vscode-remote://ssh-remote+box/home/me/a.b.impasto.png');
  });

  it('writes the PNG and leaves nothing else behind', async () => {
    const outcome = await saveBeside(original, png, { width: 12, height: 8 });
    expect(outcome).toEqual({ outcome: 'saved', uri: target });
    expect(fake.fs.get(target)).toEqual(png);
    expect(fake.fs.filesUnder(folder)).toEqual([target.path, original.path]);
    expect(fake.messages).toEqual([]);
  });

  it('asks (modally) before replacing an existing result; Replace overwrites', async () => {
    fake.fs.put(target, 'old');
    fake.answer = (m) => (m.items.includes('Replace') ? 'Replace' : undefined);
    expect((await saveBeside(original, png, { width: 12, height: 8 })).outcome).toBe('saved');
    expect(fake.messages).toEqual([
      { level: 'warning', message: 'hero.impasto.png already exists. Replace it?', items: ['Replace'], modal: true },
    ]);
    expect(fake.fs.get(target)).toEqual(png);
    expect(fake.fs.filesUnder(folder)).toEqual([target.path, original.path]);
  });

  it('keeps the existing file when the question is dismissed', async () => {
    fake.fs.put(target, 'old');
    expect(await saveBeside(original, png, { width: 12, height: 8 })).toEqual({ outcome: 'cancelled' });
    expect(new TextDecoder().decode(fake.fs.get(target))).toBe('old');
    expect(fake.fs.log.filter((l) => l.op === 'writeFile')).toEqual([]);
  });

  it('refuses bytes that are not a PNG of the size the webview claimed; nothing is written', async () => {
    await expect(saveBeside(original, png, { width: 12, height: 9 })).rejects.toThrow(
      'The result is not a 12×9 PNG (12×8); nothing saved',
    );
    await expect(saveBeside(original, new Uint8Array(40), { width: 1, height: 1 })).rejects.toThrow('(not a PNG)');
    expect(fake.fs.filesUnder(folder)).toEqual([original.path]);
  });

  it('reports a read-only folder in words and leaves nothing half-written', async () => {
    fake.fs.readOnlyFolders.add(folder.path);
    await expect(saveBeside(original, png, { width: 12, height: 8 })).rejects.toThrow(
      'Cannot save hero.impasto.png beside hero.jpg: permission denied (the location is read-only or not yours)',
    );
    expect(fake.fs.filesUnder(folder)).toEqual([original.path]);
  });

  it('reports a read-only file system before trying', async () => {
    const virtual = Uri.parse('git:/repo/hero.png');
    fake.fs.readOnlySchemes.add('git');
    await expect(saveBeside(virtual, png, { width: 12, height: 8 })).rejects.toThrow(
      'Cannot save hero.impasto.png: the git file system is read-only',
    );
    expect(fake.fs.log).toEqual([]);
  });

  it('removes the temporary file when the final rename fails', async () => {
    fake.fs.failures.push({ op: 'rename', error: FileSystemError.Unavailable('disk went away') });
    await expect(saveBeside(original, png, { width: 12, height: 8 })).rejects.toThrow(
      'Cannot save hero.impasto.png beside hero.jpg: the file system is unavailable',
    );
    expect(fake.fs.log.some((l) => l.op === 'writeFile' && l.path.endsWith('.part'))).toBe(true);
    expect(fake.fs.filesUnder(folder)).toEqual([original.path]);
  });

  it('keeps the old result intact when replacing fails midway', async () => {
    fake.fs.put(target, 'old');
    fake.answer = () => 'Replace';
    fake.fs.failures.push({ op: 'rename', error: new Error('EIO: i/o error') });
    await expect(saveBeside(original, png, { width: 12, height: 8 })).rejects.toThrow('EIO: i/o error');
    expect(new TextDecoder().decode(fake.fs.get(target))).toBe('old');
    expect(fake.fs.filesUnder(folder)).toEqual([target.path, original.path]);
  });
});
