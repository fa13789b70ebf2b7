/** Real image bytes for the sandbox tests (sharp, Node only). */
import sharp from 'sharp';

export async function solidPng(width: number, height: number, rgb = { r: 200, g: 90, b: 40 }): Promise<Uint8Array> {
  const buffer = await sharp({ create: { width, height, channels: 4, background: { ...rgb, alpha: 1 } } })
    .png()
    .toBuffer();
  return new Uint8Array(buffer);
}

export async function solidJpeg(width: number, height: number): Promise<Uint8Array> {
  const buffer = await sharp({ create: { width, height, channels: 3, background: { r: 1, g: 2, b: 3 } } })
    .jpeg()
    .toBuffer();
  return new Uint8Array(buffer);
}
