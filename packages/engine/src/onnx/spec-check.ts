import { ImpastoError } from '@impasto/errors';
import { type LossLayout, layoutOf } from '../compute/loss-layout.js';
import type { LossSpec } from '../compute/loss-program.js';
import { checkMasks } from '../compute/style-regions.js';
import type { CaffeImage } from '../image/caffe.js';
import { type ConvLayerName, layersUpTo, requireLayers } from '../network/layers.js';
import type { Vgg19Weights } from '../network/weights-types.js';

export { layoutOf };

function checkImage(image: CaffeImage, what: string, minSide: number): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImpastoError('bad-image', `${what}: size must be whole positive numbers (got ${width}x${height})`, {
      role: what,
      width,
      height,
    });
  }
  if (data.length !== width * height * 3) {
    throw new ImpastoError(
      'internal',
      `${what}: ${data.length} values for ${width}x${height}x3 (${width * height * 3} expected)`,
    );
  }
  if (width < minSide || height < minSide) {
    throw new ImpastoError(
      'image-too-small',
      `${what} is ${width}x${height}; the layers used need at least ${minSide}x${minSide}`,
      { role: what, width, height, minSide },
    );
  }
}

/** Everything about a spec that can be wrong before any graph runs, as a clear Error. */
export function checkSpec(spec: LossSpec, weights: Vgg19Weights): LossLayout {
  const layout = layoutOf(spec);
  checkMasks(spec);
  if (spec.styleLayerWeights.length !== spec.styleLayers.length) {
    throw new Error(`${spec.styleLayerWeights.length} style layer weights for ${spec.styleLayers.length} style layers`);
  }
  for (const [name, v] of [
    ['content weight', spec.contentWeight],
    ['style weight', spec.styleWeight],
    ['tv weight', spec.tvWeight],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a finite number ≥ 0 (got ${v})`);
  }
  const needed: ConvLayerName[] = [...new Set([...layout.contentLayers, ...layout.styleLayers])];
  requireLayers(weights.available, needed);
  // Each 2x2 pooling before the deepest layer halves the image; every side must keep at least one position.
  const minSide = 2 ** layersUpTo(needed).filter((l) => l.kind === 'pool').length;
  if (spec.content.width !== spec.width || spec.content.height !== spec.height) {
    throw new Error(`content is ${spec.content.width}x${spec.content.height}, expected ${spec.width}x${spec.height}`);
  }
  checkImage(spec.content, 'content image', minSide);
  if (layout.styleLayers.length > 0) {
    spec.styles.forEach((s, i) => {
      if (!Number.isFinite(s.weight) || s.weight < 0) {
        throw new Error(`style image ${i + 1}: weight must be ≥ 0 (got ${s.weight})`);
      }
      if (s.weight > 0) checkImage(s.image, `style image ${i + 1}`, minSide);
    });
  }
  return layout;
}
