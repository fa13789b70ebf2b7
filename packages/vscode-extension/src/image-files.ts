/** Pure rules about image files: which names Impasto accepts, what the bytes are, where a result goes. */

/** The file types Impasto stylizes (the menus' `when` clauses list the same). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;

export type ImageType = 'png' | 'jpeg' | 'webp';

/** The extension of a file name or path, lower-cased, with its dot ("" when there is none). */
export function extensionOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function hasImageExtension(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extensionOf(name));
}

/** What the first bytes say the file is (PNG, JPEG or WebP), or undefined. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const at = (offset: number, ascii: string) => [...ascii].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
  if (bytes.length >= 8 && bytes[0] === 0x89 && at(1, 'PNG\r\n\x1a\n')) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && at(0, 'RIFF') && at(8, 'WEBP')) return 'webp';
  return undefined;
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || sniffImageType(bytes) !== 'png') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isIhdr = String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
  return isIhdr ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
}

/** "hero.jpg" → "hero.impasto.png"; "archive.tar.png" → "archive.tar.impasto.png"; "hero" → "hero.impasto.png". */
export function resultName(name: string): string {
  const base = baseName(name);
  const ext = extensionOf(base);
  return `${ext ? base.slice(0, -ext.length) : base}.impasto.png`;
}
