import { describe, expect, it } from 'vitest';
import { extensionOf, hasImageExtension, pngSize, resultName, sniffImageType } from './image-files.js';
import { jpegBytes, pngBytes, solid } from './test/fixtures.js';

describe('image file rules', () => {
  it('names the result <name>.impasto.png beside any original', () => {
    expect(resultName('/w/hero.jpg')).toBe('hero.impasto.png');
    expect(resultName('hero.JPEG')).toBe('hero.impasto.png');
    expect(resultName('/w/photo.webp')).toBe('photo.impasto.png');
    expect(resultName('/w/archive.tar.png')).toBe('archive.tar.impasto.png');
    expect(resultName('/w/hero.impasto.png')).toBe('hero.impasto.impasto.png');
    expect(resultName('/w/.hidden')).toBe('.hidden.impasto.png');
    expect(resultName('/w/noext')).toBe('noext.impasto.png');
  });

  it('accepts png, jpg, jpeg and webp names in any case, nothing else', () => {
    for (const ok of ['a.png', 'a.JPG', '/x/y/a.jpeg', 'a.WebP']) expect(hasImageExtension(ok)).toBe(true);
    for (const no of ['a.gif', 'a.txt', 'png', '.png', 'a.png.txt', 'a.jpgx', '/dir.png/file']) {
      expect(hasImageExtension(no), no).toBe(false);
    }
    expect(extensionOf('/a.b/c')).toBe('');
  });

  it('recognises PNG, JPEG and WebP by their bytes', async () => {
    expect(sniffImageType(await pngBytes(3, 2))).toBe('png');
    expect(sniffImageType(await jpegBytes(3, 2))).toBe('jpeg');
    expect(sniffImageType(new Uint8Array(await solid(3, 2).webp().toBuffer()))).toBe('webp');
    expect(sniffImageType(new TextEncoder().encode('GIF89a......'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array([0x89, 0x50]))).toBeUndefined();
  });

  it('reads a PNG size from its header', async () => {
    expect(pngSize(await pngBytes(37, 5))).toEqual({ width: 37, height: 5 });
    expect(pngSize(await jpegBytes(4, 4))).toBeUndefined();
    expect(pngSize((await pngBytes(4, 4)).subarray(0, 20))).toBeUndefined();
  });
});
