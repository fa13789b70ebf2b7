import type { RgbaImage } from '../image/rgba.js';
import { imageDataOf } from './decode.js';

/** Encodes RGBA as PNG bytes with the browser's own encoder. */
export async function encodePng(image: RgbaImage): Promise<Uint8Array> {
  let blob: Blob;
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot create a 2D canvas');
    ctx.putImageData(imageDataOf(image), 0, 0);
    blob = await canvas.convertToBlob({ type: 'image/png' });
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')?.putImageData(imageDataOf(image), 0, 0);
    blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  }
  return new Uint8Array(await blob.arrayBuffer());
}
