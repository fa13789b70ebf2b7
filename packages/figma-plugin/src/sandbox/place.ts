/** Writes a stylized image back: a new rectangle beside the original, the original untouched. */
import { FIGMA_IMAGE_LIMIT } from './export-scale.js';
import type { LayerNode, ResultRectangle, SandboxFigma } from './figma-api.js';
import { pngSize } from './png.js';
import { layerBox } from './selection.js';

/** Space between the original and the result, in canvas px. */
export const PLACEMENT_GAP = 40;

export const resultName = (original: string) => `${original} (Impasto)`;

/** The result is a picture of the original: the same proportions, give or take the rounding of each side. */
function checkShape(png: { width: number; height: number }, box: { width: number; height: number }, name: string) {
  const tolerance = 1.5 / Math.min(png.width, png.height) + 0.01;
  const ratio = png.width / png.height / (box.width / box.height);
  if (Math.abs(Math.log(ratio)) > tolerance) {
    throw new Error(
      `the result (${png.width} × ${png.height} px) does not have the proportions of "${name}"; it was not placed`,
    );
  }
}

/**
 * Creates a rectangle of the original's size to its right, filled with `png`, named after it, selected and scrolled
 * into view. Every check runs before anything is created; if Figma fails midway the rectangle is removed again.
 */
export function placeResult<L extends LayerNode, R extends ResultRectangle>(
  figma: SandboxFigma<L, R>,
  original: LayerNode,
  png: Uint8Array,
): R {
  const size = pngSize(png);
  if (size.width > FIGMA_IMAGE_LIMIT || size.height > FIGMA_IMAGE_LIMIT) {
    throw new Error(
      `the result is ${size.width} × ${size.height} px; Figma takes images up to ${FIGMA_IMAGE_LIMIT} px`,
    );
  }
  const box = layerBox(original);
  checkShape(size, box, original.name);
  const at = original.absoluteBoundingBox ?? { x: original.x, y: original.y };
  const image = figma.createImage(png);
  const selectionBefore = figma.currentPage.selection;
  const rect = figma.createRectangle();
  try {
    rect.name = resultName(original.name);
    rect.resize(box.width, box.height);
    rect.x = at.x + box.width + PLACEMENT_GAP;
    rect.y = at.y;
    rect.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }];
    figma.currentPage.selection = [rect];
    figma.viewport.scrollAndZoomIntoView([rect]);
    return rect;
  } catch (error) {
    rect.remove();
    figma.currentPage.selection = selectionBefore;
    throw error;
  }
}
