import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_IMAGE_PIXELS, type RgbaImage } from '@impasto/engine/node';
import { ImpastoError, messageOf } from '@impasto/errors';
import sharp from 'sharp';

/** Formats the command line reads and writes, by file extension. */
export const OUTPUT_FORMATS = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' } as const;

/** A file problem as an ImpastoError: 'io' (missing, unreadable, unwritable), 'bad-image', 'image-too-large'. */
function fileError(code: 'io' | 'bad-image' | 'image-too-large', message: string, file: string): ImpastoError {
  return new ImpastoError(code, message, { path: file });
}

/**
 * Decodes PNG, JPEG, WebP (and whatever else libvips reads) to RGBA, EXIF orientation applied, grayscale expanded
 * to RGB, a missing alpha made opaque. Truncated or corrupt files are errors, not half-decoded images.
 */
export async function readImage(file: string): Promise<RgbaImage> {
  const info = await stat(file).catch(() => null);
  if (!info) throw fileError('io', `file not found: ${file}`, file);
  if (!info.isFile()) throw fileError('io', `not a file: ${file}`, file);
  if (info.size === 0) throw fileError('bad-image', `empty file: ${file}`, file);
  try {
    const { data, info: meta } = await sharp(file, {
      failOn: 'warning',
      limitInputPixels: MAX_IMAGE_PIXELS,
    })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (meta.channels !== 4) throw new Error(`unexpected ${meta.channels} channels`);
    return { width: meta.width, height: meta.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    const reason = messageOf(e);
    if (/unsupported image format|bad seek|Input file/i.test(reason)) {
      throw fileError('bad-image', `not an image (or a format Impasto cannot read): ${file}`, file);
    }
    if (/pixel limit/i.test(reason))
      throw fileError('image-too-large', `image too large: ${file} (over ${MAX_IMAGE_PIXELS / 1e6} megapixels)`, file);
    throw fileError('bad-image', `cannot read image ${file}: ${reason.split('\n')[0]}`, file);
  }
}

/** The encoder for a path's extension, or an error listing the supported ones. */
export function outputFormatOf(file: string): (typeof OUTPUT_FORMATS)[keyof typeof OUTPUT_FORMATS] {
  const ext = path.extname(file).toLowerCase() as keyof typeof OUTPUT_FORMATS;
  const format = OUTPUT_FORMATS[ext];
  if (!format) {
    throw fileError('io', `cannot write ${file}: use one of ${Object.keys(OUTPUT_FORMATS).join(', ')}`, file);
  }
  return format;
}

/** Encodes an RGBA image in the given format. */
export async function encodeImage(image: RgbaImage, format: 'png' | 'jpeg' | 'webp'): Promise<Buffer> {
  const s = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
  if (format === 'png') return s.png().toBuffer();
  if (format === 'jpeg') return s.flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
  return s.webp({ quality: 92 }).toBuffer();
}

/** Writes atomically: encode, write a temporary file beside the target, then rename, so no half-written file. */
export async function writeImage(file: string, image: RgbaImage): Promise<void> {
  const bytes = await encodeImage(image, outputFormatOf(file));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw fileError('io', `cannot write ${file}: ${messageOf(e)}`, file);
  }
}
