import { ImpastoError } from '@impasto/errors';
import { fitWithin, scaleToSide } from '../image/resize.js';
import { isTooLarge, tooLargeError } from '../image/rgba.js';
import { layersUpTo } from '../network/layers.js';
import { resolveOptions, type StylizeOptions } from '../options.js';
import { planStages } from './schedule.js';
import { stageStyleSize } from './stylize-inputs.js';

/** What an image is for in a run. */
export type ImageRole = 'content' | 'style';

interface Size {
  readonly width: number;
  readonly height: number;
}

/** The smallest side the run's layers can take: each 2x2 pooling before the deepest layer halves the image. */
export function minimumSide(options: Pick<StylizeOptions, 'contentLayers' | 'styleLayers'>): number {
  const needed = [...options.contentLayers, ...options.styleLayers];
  return 2 ** layersUpTo(needed).filter((l) => l.kind === 'pool').length;
}

/**
 * The size an image is optimised (content) or compared (style) at in the run's smallest coarse-to-fine stage.
 * A style's size depends on the content's; without `content`, the content is assumed to fill the stage.
 */
export function smallestRunSize(image: Size, role: ImageRole, options: StylizeOptions, content?: Size): Size {
  const side = (planStages(options)[0] as { side: number }).side;
  if (role === 'content') return fitWithin(image.width, image.height, side);
  const output = content
    ? scaleToSide(content.width, content.height, options.size)
    : { width: options.size, height: options.size };
  return stageStyleSize(image, output, side, options.styleScale);
}

/**
 * Throws an ImpastoError unless a run with `options` can take the image: 'image-too-large' beyond the engine's
 * limits, 'image-too-small' when, scaled for the run (tiny, or very thin), a side is under what the layers need.
 * Cheap (sizes only): hosts call it when an image is chosen, and every run calls it before any tensor exists.
 * `name` (a file name, or the role) names the image in the message and the details.
 */
export function checkImageFits(
  image: Size,
  role: ImageRole,
  options: Partial<StylizeOptions> | StylizeOptions = {},
  name: string = role === 'content' ? 'the content image' : 'the style image',
  content?: Size,
): void {
  const { width, height } = image;
  if (isTooLarge(width, height)) throw tooLargeError(name, width, height);
  const resolved = resolveOptions(options);
  const minSide = minimumSide(resolved);
  const run = smallestRunSize(image, role, resolved, content);
  if (run.width >= minSide && run.height >= minSide) return;
  throw new ImpastoError(
    'image-too-small',
    `${name} is ${width}x${height}, ${run.width}x${run.height} as the run uses it; the layers used need at least ${minSide}x${minSide}`,
    { role, name, width, height, minSide, runWidth: run.width, runHeight: run.height },
  );
}
