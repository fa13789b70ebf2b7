/** How much to scale a layer when exporting it, so the PNG's long side is the size the person chose. */

/** Figma refuses images over 4096 px a side (figma.createImage). */
export const FIGMA_IMAGE_LIMIT = 4096;
/** The largest export scale Figma offers. */
export const MAX_EXPORT_SCALE = 4;
/** Below this the network has too little to work with. */
export const MIN_SHORT_SIDE = 16;

export interface ExportPlan {
  readonly scale: number;
  /** The PNG's size, as Figma rounds it. */
  readonly width: number;
  readonly height: number;
}

/**
 * The scale that makes the long side `size` px (never above 4096, nor above Figma's 4x export), and the pixel size
 * that gives. A layer too small or thin to leave MIN_SHORT_SIDE px on its short side is an error naming its shape.
 */
export function planExport(box: { width: number; height: number }, size: number, name: string): ExportPlan {
  const { width, height } = box;
  if (!(width > 0 && height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
    throw new Error(`"${name}" has no area to stylize (${width} × ${height})`);
  }
  if (!(size >= 1)) throw new Error(`the size must be at least 1 px (got ${size})`);
  const target = Math.min(Math.floor(size), FIGMA_IMAGE_LIMIT);
  const long = Math.max(width, height);
  const scale = Math.min(target / long, MAX_EXPORT_SCALE);
  const px = (v: number) => Math.max(1, Math.min(target, Math.round(v * scale)));
  const plan = { scale, width: px(width), height: px(height) };
  if (Math.min(plan.width, plan.height) < MIN_SHORT_SIDE) {
    throw new Error(
      `"${name}" is too small or too thin to stylize: ${round(width)} × ${round(height)} exports as ` +
        `${plan.width} × ${plan.height} px, and each side needs at least ${MIN_SHORT_SIDE} px`,
    );
  }
  return plan;
}

const round = (v: number) => Math.round(v * 100) / 100;
