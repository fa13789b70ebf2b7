/** Labelled pictures in a grid, written as one image: the contact sheet's and the benchmarks' way to show results. */
import type { RgbaImage } from '@impasto/engine/node';
import sharp from 'sharp';

export interface SheetCell {
  readonly image: RgbaImage;
  readonly label: string;
}

const LABEL_HEIGHT = 18;

/** `--crop`'s point "X,Y": each a fraction of the picture's side in [0, 1]; anything else (a blank part too) throws. */
export function parseCropPoint(text: string): { x: number; y: number } {
  const parts = text.split(',');
  const [x, y] = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const fraction = (v: number | undefined) => v !== undefined && v >= 0 && v <= 1;
  if (parts.length !== 2 || !fraction(x) || !fraction(y))
    throw new Error(`--crop takes two fractions of the width and height, e.g. 0.5,0.3 (got "${text}")`);
  return { x: x as number, y: y as number };
}

/**
 * The `width`×`height` window of `image` centred on (`x`, `y`), pixel for pixel (1:1), moved inside the picture where
 * it would cross an edge and narrowed to the picture where the picture is smaller.
 */
export function cropAt(image: RgbaImage, x: number, y: number, width: number, height: number): RgbaImage {
  const w = Math.min(width, image.width);
  const h = Math.min(height, image.height);
  const left = Math.min(Math.max(Math.round(x - w / 2), 0), image.width - w);
  const top = Math.min(Math.max(Math.round(y - h / 2), 0), image.height - h);
  const data = new Uint8Array(w * h * 4);
  for (let row = 0; row < h; row++) {
    const from = ((top + row) * image.width + left) * 4;
    data.set(image.data.subarray(from, from + w * 4), row * w * 4);
  }
  return { width: w, height: h, data };
}

const escapeXml = (s: string) => s.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);

async function labelled(image: RgbaImage, label: string, width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LABEL_HEIGHT}"><rect width="100%" height="100%" fill="#111"/><text x="4" y="13" font-family="sans-serif" font-size="11" fill="#eee">${escapeXml(label)}</text></svg>`;
  const picture = await sharp(Buffer.from(image.data), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .resize(width, height, { fit: 'contain', background: '#222' })
    .png()
    .toBuffer();
  return sharp({ create: { width, height: height + LABEL_HEIGHT, channels: 4, background: '#222' } })
    .composite([
      { input: Buffer.from(svg), top: 0, left: 0 },
      { input: picture, top: LABEL_HEIGHT, left: 0 },
    ])
    .png()
    .toBuffer();
}

/**
 * Writes `cells` (null: an empty place) in rows of `columns`, each cell `cellWidth` wide (default: the first
 * picture's width, at least 240) with the first picture's aspect ratio, to `out` (.png, .jpg, .webp).
 */
export async function writeSheet(
  cells: readonly (SheetCell | null)[],
  columns: number,
  out: string,
  cellWidth?: number,
): Promise<void> {
  const first = cells.find((c) => c !== null)?.image;
  if (!first) throw new Error('a sheet needs at least one picture');
  const cellW = cellWidth ?? Math.max(first.width, 240);
  const cellH = Math.round((first.height / first.width) * cellW);
  const rows = Math.ceil(cells.length / columns);
  const composites = await Promise.all(
    cells.flatMap((cell, i) =>
      cell
        ? [
            (async () => ({
              input: await labelled(cell.image, cell.label, cellW, cellH),
              left: (i % columns) * cellW,
              top: Math.floor(i / columns) * (cellH + LABEL_HEIGHT),
            }))(),
          ]
        : [],
    ),
  );
  await sharp({
    create: { width: columns * cellW, height: rows * (cellH + LABEL_HEIGHT), channels: 4, background: '#222' },
  })
    .composite(composites)
    .toFile(out); // the format follows the extension
}
