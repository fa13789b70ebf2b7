/** Which selections the plugin works on, and what it says about the others. */
import type { NodeSummary, SelectionState } from '../protocol.js';
import type { LayerNode } from './figma-api.js';

/** Layers that are artwork: they export as pictures and a stylized copy of them makes sense. */
export const SUPPORTED_TYPES: ReadonlySet<string> = new Set([
  'FRAME',
  'GROUP',
  'SECTION',
  'COMPONENT',
  'COMPONENT_SET',
  'INSTANCE',
  'BOOLEAN_OPERATION',
  'RECTANGLE',
  'ELLIPSE',
  'POLYGON',
  'STAR',
  'VECTOR',
  'LINE',
  'TEXT',
  'TEXT_PATH',
  'TRANSFORM_GROUP',
]);

const TYPE_WORDS: Record<string, string> = {
  SLICE: 'a slice (an export area; select the layers under it instead)',
  CONNECTOR: 'a connector',
  WIDGET: 'a widget',
  EMBED: 'an embed',
  LINK_UNFURL: 'a link preview',
  MEDIA: 'a video or GIF',
  STAMP: 'a stamp',
  CODE_BLOCK: 'a code block',
  TABLE: 'a table',
};

/** The layer's box on the canvas (rotation included), else its own size. */
export function layerBox(node: LayerNode): { width: number; height: number } {
  const box = node.absoluteBoundingBox;
  return box ? { width: box.width, height: box.height } : { width: node.width, height: node.height };
}

export function summarize(node: LayerNode): NodeSummary {
  const { width, height } = layerBox(node);
  return { id: node.id, name: node.name, type: node.type, width, height };
}

/** Why this layer cannot be stylized, or null when it can. */
export function unsupportedReason(node: LayerNode): string | null {
  if (node.removed) return `"${node.name}" no longer exists`;
  if (!SUPPORTED_TYPES.has(node.type)) {
    const what = TYPE_WORDS[node.type] ?? `a ${node.type.toLowerCase().replace(/_/g, ' ')} layer`;
    return `"${node.name}" is ${what}, which Impasto cannot stylize. Select a frame, group, shape, text or image.`;
  }
  if (!node.visible) return `"${node.name}" is hidden. Show it first, or select a visible layer.`;
  const { width, height } = layerBox(node);
  if (!(width > 0 && height > 0)) return `"${node.name}" has no area to stylize (${width} × ${height}).`;
  return null;
}

export const NOTHING_SELECTED = 'Select a layer to stylize (or two: the layer, then the one to use as the style).';

/**
 * One layer: the content. Two: the first is the content and the other can be the style. None or more than two, or
 * a layer that cannot be exported, is explained.
 */
export function describeSelection(nodes: readonly LayerNode[]): SelectionState {
  if (nodes.length === 0) return { kind: 'empty', message: NOTHING_SELECTED };
  if (nodes.length > 2) {
    return {
      kind: 'invalid',
      message: `${nodes.length} layers are selected. Select one layer, or two: the layer and a style.`,
    };
  }
  for (const node of nodes) {
    const reason = unsupportedReason(node);
    if (reason) return { kind: 'invalid', message: reason };
  }
  const [content, style] = nodes as [LayerNode, LayerNode | undefined];
  return { kind: 'ready', content: summarize(content), style: style ? summarize(style) : null };
}
