/**
 * `pnpm contact-sheet`: one content and one style, stylized across the main settings (single-scale vs
 * coarse-to-fine, colours off/on, two style scales, two strengths), labelled, in one PNG, to judge quality by eye.
 * Defaults: tubingen.jpg and starry_night.jpg from $IMPASTO_TEST_IMAGES when set, else the project's examples;
 * weights from $IMPASTO_TEST_WEIGHTS (the partial VGG19) with the shallow layer preset.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RgbaImage } from '@impasto/engine/internals';
import {
  createNodeEngine,
  LAYER_PRESETS,
  loadWeights,
  type StylizeOptions,
  styleWeightForStrength,
} from '@impasto/engine/internals';
import { messageOf } from '@impasto/errors';
import { DEFAULT_EXAMPLE_STYLE, EXAMPLE_PHOTO } from '@impasto/examples';
import { examplePath } from '@impasto/examples/node';
import { resolveWeightsLocation } from '@impasto/weights/node';
import { readImage } from './image-io.js';
import { type SheetCell, writeSheet } from './sheet.js';

function defaultImages(): { content: string; style: string } {
  const shared = process.env.IMPASTO_TEST_IMAGES;
  if (shared && existsSync(path.join(shared, 'tubingen.jpg'))) {
    return { content: path.join(shared, 'tubingen.jpg'), style: path.join(shared, 'starry_night.jpg') };
  }
  return { content: examplePath(EXAMPLE_PHOTO.file), style: examplePath(DEFAULT_EXAMPLE_STYLE.file) };
}

const { values: args } = parseArgs({
  options: {
    content: { type: 'string' },
    style: { type: 'string' },
    out: { type: 'string', default: 'contact-sheet.png' },
    size: { type: 'string', default: '192' },
    iterations: { type: 'string', default: '40' },
    strengths: { type: 'string', default: '50,75' },
    'style-scales': { type: 'string', default: '0.5,1' },
    'tv-weight': { type: 'string' },
    weights: { type: 'string' },
  },
});

async function main(): Promise<void> {
  // pnpm runs the script in packages/engine; a relative --out means relative to where it was invoked.
  const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.out);
  const images = defaultImages();
  const contentFile = args.content ?? images.content;
  const styleFile = args.style ?? images.style;
  const size = Number(args.size);
  const iterations = Number(args.iterations);
  const strengths = args.strengths.split(',').map(Number);
  const styleScales = args['style-scales'].split(',').map(Number);
  const location = args.weights ?? process.env.IMPASTO_TEST_WEIGHTS ?? resolveWeightsLocation(undefined);
  const engine = await createNodeEngine({ weights: await loadWeights(location) });
  const content = await readImage(contentFile);
  const style = await readImage(styleFile);
  const base: Partial<StylizeOptions> = { ...LAYER_PRESETS.shallow, size, iterations, seed: 1 };
  if (args['tv-weight'] !== undefined) Object.assign(base, { tvWeight: Number(args['tv-weight']) });
  const cells: SheetCell[] = [];
  const started = Date.now();
  for (const coarseToFine of ['off', 'on'] as const) {
    for (const keepColors of [false, true]) {
      for (const styleScale of styleScales) {
        for (const strength of strengths) {
          const options = {
            ...base,
            coarseToFine,
            keepColors,
            styleScale,
            styleWeight: styleWeightForStrength(strength),
          };
          const result = await engine.stylize({ content, styles: [style], options });
          const label = `${coarseToFine === 'on' ? 'c2f' : 'single'} · ${keepColors ? 'own col.' : 'style col.'} · scale ${styleScale} · str ${strength}`;
          cells.push({ image: result.image, label });
          const t = result.history.at(-1);
          process.stderr.write(
            `${label}: loss ${t?.total.toExponential(2)} (content ${t?.content.toExponential(2)}, style ${t?.style.toExponential(2)}, tv ${t?.tv.toExponential(2)})\n`,
          );
        }
      }
    }
  }
  engine.dispose();
  const columns = styleScales.length * strengths.length;
  // First row: the inputs; then one row per (single / c2f) × (colours) and one column per (scale, strength).
  const inputs: SheetCell[] = [
    { image: content, label: `content: ${path.basename(contentFile)}` },
    { image: style, label: `style: ${path.basename(styleFile)}` },
  ];
  const first = cells[0]?.image as RgbaImage;
  const blanks = Array<null>(Math.max(0, columns - inputs.length)).fill(null);
  await writeSheet([...inputs, ...blanks, ...cells], columns, out, Math.max(first.width, 240));
  process.stderr.write(
    `wrote ${args.out} (${cells.length} results in ${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`contact-sheet: ${messageOf(e)}\n`);
  process.exitCode = 1;
});
