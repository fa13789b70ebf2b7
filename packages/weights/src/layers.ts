import { ImpastoError } from '@impasto/errors';

/** VGG19's feature layers in order: 16 conv layers (3x3, stride 1, same padding, ReLU) and 5 pooling layers. */

export const CONV_LAYERS = [
  'conv1_1',
  'conv1_2',
  'conv2_1',
  'conv2_2',
  'conv3_1',
  'conv3_2',
  'conv3_3',
  'conv3_4',
  'conv4_1',
  'conv4_2',
  'conv4_3',
  'conv4_4',
  'conv5_1',
  'conv5_2',
  'conv5_3',
  'conv5_4',
] as const;

export type ConvLayerName = (typeof CONV_LAYERS)[number];

export type PoolLayerName = 'pool1' | 'pool2' | 'pool3' | 'pool4' | 'pool5';

export type LayerSpec =
  | { kind: 'conv'; name: ConvLayerName; weightsName: string; inChannels: number; outChannels: number }
  | { kind: 'pool'; name: PoolLayerName };

const BLOCK_CHANNELS = [64, 128, 256, 512, 512] as const;
const BLOCK_DEPTHS = [2, 2, 4, 4, 4] as const;

function buildTable(): LayerSpec[] {
  const table: LayerSpec[] = [];
  let inChannels = 3;
  BLOCK_DEPTHS.forEach((depth, b) => {
    const outChannels = BLOCK_CHANNELS[b] as number;
    for (let i = 1; i <= depth; i++) {
      const name = `conv${b + 1}_${i}` as ConvLayerName;
      table.push({ kind: 'conv', name, weightsName: `block${b + 1}_conv${i}`, inChannels, outChannels });
      inChannels = outChannels;
    }
    table.push({ kind: 'pool', name: `pool${b + 1}` as PoolLayerName });
  });
  return table;
}

/** The whole feature stack, in order. */
export const VGG19_LAYERS: readonly LayerSpec[] = buildTable();

export function isConvLayerName(name: string): name is ConvLayerName {
  return (CONV_LAYERS as readonly string[]).includes(name);
}

/** The Keras/tfjs weights name of a conv layer: conv3_2 -> block3_conv2. */
export function weightsNameOf(layer: ConvLayerName): string {
  const [block, index] = layer.slice(4).split('_');
  return `block${block}_conv${index}`;
}

/** Input channels, output channels of a conv layer. */
export function convChannels(layer: ConvLayerName): { inChannels: number; outChannels: number } {
  const spec = VGG19_LAYERS.find((l) => l.kind === 'conv' && l.name === layer);
  if (spec?.kind !== 'conv') throw new Error(`unknown layer ${layer}`);
  return { inChannels: spec.inChannels, outChannels: spec.outChannels };
}

/** The layers from the input up to and including the deepest of `needed`: the network runs no further. */
export function layersUpTo(needed: readonly ConvLayerName[]): LayerSpec[] {
  const deepest = Math.max(...needed.map((n) => CONV_LAYERS.indexOf(n)));
  if (deepest < 0) return [];
  const stop = VGG19_LAYERS.findIndex((l) => l.name === CONV_LAYERS[deepest]);
  return VGG19_LAYERS.slice(0, stop + 1);
}

/** Throws unless every needed layer is available, naming the missing ones (network order) and what is there. */
export function requireLayers(available: readonly ConvLayerName[], needed: readonly ConvLayerName[]): void {
  const missing = CONV_LAYERS.filter((l) => needed.includes(l) && !available.includes(l));
  if (missing.length > 0) {
    const have = available.length > 0 ? available.join(', ') : 'none';
    throw new ImpastoError('missing-layers', `the weights lack ${missing.join(', ')}; available layers: ${have}`, {
      missing,
      available: [...available],
    });
  }
}

/** The height and width of a conv layer's output for an input of `height` x `width`: each earlier pooling halves (floor). */
export function featureSize(layer: ConvLayerName, height: number, width: number): { height: number; width: number } {
  const pools = Number(layer.slice(4, 5)) - 1;
  return { height: Math.floor(height / 2 ** pools), width: Math.floor(width / 2 ** pools) };
}
