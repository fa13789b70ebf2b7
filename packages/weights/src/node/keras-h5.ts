/**
 * Reads VGG19 conv weights from a Keras `save_weights` HDF5 file (the layout of the Keras applications
 * files): the root (or `/model_weights`) has attribute `layer_names`; each layer is a group of that name
 * with attribute `weight_names`, and weight `w` is the dataset at `<layer>/<w>`, e.g.
 * `/block1_conv1/block1_conv1/kernel:0`. Older files name them `block1_conv1_W_1:0` / `_b_1:0`, so the
 * kernel and bias are told apart by rank (4 and 1), as Keras itself loads them by position.
 */
import { badWeights } from '../errors.js';
import { CONV_LAYERS, type ConvLayerName, convChannels, weightsNameOf } from '../layers.js';
import type { ConvWeights, Vgg19Weights } from '../types.js';
import { Dataset, Group, type H5File, openHdf5 } from './hdf5.js';

type H5Group = InstanceType<typeof Group>;

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

/** The group holding the layers and its `layer_names`. */
function layerRoot(file: H5File, path: string): { root: H5Group; layerNames: string[] } {
  for (const root of [file, file.get('model_weights')]) {
    if (!(root instanceof Group)) continue;
    const names = stringList(root.attrs.layer_names?.value);
    if (names) return { root, layerNames: names };
  }
  throw badWeights(`${path} is not a Keras weights file: no layer_names attribute at / or /model_weights`);
}

function float32Values(dataset: InstanceType<typeof Dataset>, where: string): Float32Array {
  const value = dataset.value;
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array) return Float32Array.from(value);
  throw badWeights(`${where}: expected floating-point data, found dtype ${JSON.stringify(dataset.dtype)}`);
}

function shapeText(shape: readonly number[] | null): string {
  return `[${(shape ?? []).join(', ')}]`;
}

function readLayer(root: H5Group, layer: ConvLayerName, path: string): ConvWeights {
  const name = weightsNameOf(layer);
  const group = root.get(name);
  const weightNames = group instanceof Group ? stringList(group.attrs.weight_names?.value) : undefined;
  if (!(group instanceof Group) || !weightNames) throw badWeights(`${path}: layer ${name} has no weight_names`);
  const { inChannels, outChannels } = convChannels(layer);
  const want = { kernel: [3, 3, inChannels, outChannels], bias: [outChannels] };
  const found: { kernel?: Float32Array; bias?: Float32Array } = {};
  for (const weightName of weightNames) {
    const dataset = group.get(weightName);
    const where = `${path}: ${name}/${weightName}`;
    if (!(dataset instanceof Dataset)) throw badWeights(`${where} is listed in weight_names but missing`);
    const role = dataset.shape?.length === 4 ? 'kernel' : dataset.shape?.length === 1 ? 'bias' : undefined;
    if (!role || shapeText(dataset.shape) !== shapeText(want[role])) {
      const hint = dataset.shape?.[3] === 3 ? ' (channels-first? use the tf_dim_ordering file)' : '';
      throw badWeights(
        `${where} has shape ${shapeText(dataset.shape)}; VGG19 ${layer} needs kernel ${shapeText(want.kernel)} and bias ${shapeText(want.bias)}${hint}`,
      );
    }
    found[role] = float32Values(dataset, where);
  }
  if (!found.kernel || !found.bias)
    throw badWeights(`${path}: layer ${name} lacks its ${found.kernel ? 'bias' : 'kernel'}`);
  return { kernel: found.kernel, kernelShape: want.kernel as [number, number, number, number], bias: found.bias };
}

/** Reads `layers` from a Keras VGG19 weights file; names every requested layer the file lacks. */
export async function readKerasVgg19(path: string, layers: readonly ConvLayerName[]): Promise<Vgg19Weights> {
  const file = await openHdf5(path);
  try {
    const { root, layerNames } = layerRoot(file, path);
    const missing = layers.filter((layer) => !layerNames.includes(weightsNameOf(layer)));
    if (missing.length > 0) {
      const present = layerNames.filter((n) => /^block\d+_conv\d+$/.test(n));
      throw badWeights(
        `${path} lacks ${missing.map(weightsNameOf).join(', ')} (it has ${present.join(', ') || 'no conv layers'})`,
      );
    }
    const ordered = CONV_LAYERS.filter((layer) => layers.includes(layer));
    const map = new Map(ordered.map((layer) => [layer, readLayer(root, layer, path)] as const));
    return { available: ordered, layers: map };
  } finally {
    file.close();
  }
}
