/**
 * Spatial control of style (Gatys et al. 2017, "Controlling Perceptual Factors in Neural Style Transfer"): styles
 * that share a mask form a region; a region's Gram matrices are taken over the features weighted by its mask
 * ("guided Gram matrices"), so its styles shape only the output where the mask is on. Both compute paths read the
 * regions and the per-layer masks from here.
 *
 * For a region with mask m (1 = the style applies, 0 = it does not) at a layer with N channels and M positions:
 *   F_m = F ∘ m,  M_m = Σ m²,  G_m = F_m F_mᵀ,  E = (M_m / M) · 1/(4N²) Σ (G_m/M_m − A)²
 * with A the blend of the region's style Grams (each G/M of its style image). Without a mask (m = 1) this is the
 * plain style loss. The M_m/M factor makes a region's pull per position that of an unmasked style, whatever its
 * area, and makes a region with an empty mask contribute nothing:  dE/dF = (G_m/M_m − A) F_m ∘ m / (N² M).
 */
import type { CaffeImage } from '../image/caffe.js';
import { type ConvLayerName, featureSize } from '../network/layers.js';
import type { LossSpec } from './loss-program.js';

/** Styles that share a mask (none: everywhere), each with its weight normalised within the region. */
export interface StyleRegion {
  readonly mask?: Float32Array;
  readonly styles: readonly { readonly image: CaffeImage; readonly weight: number }[];
}

/** The spec's styles with weight > 0, grouped by mask (the same Float32Array object), in order of first use. */
export function styleRegions(spec: LossSpec): StyleRegion[] {
  const groups = new Map<Float32Array | undefined, { image: CaffeImage; weight: number }[]>();
  for (const style of spec.styles) {
    if (style.weight === 0) continue;
    const group = groups.get(style.mask) ?? [];
    group.push({ image: style.image, weight: style.weight });
    groups.set(style.mask, group);
  }
  return [...groups].map(([mask, styles]) => {
    const total = styles.reduce((a, s) => a + s.weight, 0);
    const normalised = styles.map((s) => ({ image: s.image, weight: s.weight / total }));
    return mask ? { mask, styles: normalised } : { styles: normalised };
  });
}

/** A [height, width] mask at the size of `layer`'s output: the network's 2x2 average pooling (floor) per pooling. */
export function maskAtLayer(mask: Float32Array, width: number, height: number, layer: ConvLayerName): Float32Array {
  const target = featureSize(layer, height, width);
  let data = mask;
  let [w, h] = [width, height];
  while (w > target.width || h > target.height) {
    const [w2, h2] = [Math.floor(w / 2), Math.floor(h / 2)];
    const next = new Float32Array(w2 * h2);
    for (let y = 0; y < h2; y++)
      for (let x = 0; x < w2; x++) {
        const i = 2 * y * w + 2 * x;
        next[y * w2 + x] =
          ((data[i] as number) + (data[i + 1] as number) + (data[i + w] as number) + (data[i + w + 1] as number)) / 4;
      }
    [data, w, h] = [next, w2, h2];
  }
  return data;
}

/** M_m = Σ m² of a layer mask. */
export function maskPositions(layerMask: Float32Array): number {
  let sum = 0;
  for (const v of layerMask) sum += v * v;
  return sum;
}

/** Checks a spec's masks: one value in [0, 1] per output position. */
export function checkMasks(spec: LossSpec): void {
  spec.styles.forEach((s, i) => {
    if (!s.mask) return;
    if (s.mask.length !== spec.width * spec.height) {
      throw new Error(`style image ${i + 1}: its mask has ${s.mask.length} values for ${spec.width}x${spec.height}`);
    }
    for (const v of s.mask) {
      if (!(v >= 0 && v <= 1)) throw new Error(`style image ${i + 1}: mask values must lie in [0, 1] (got ${v})`);
    }
  });
}
