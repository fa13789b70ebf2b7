/** Test fixture: writes VGG19 weights as a Keras `save_weights` HDF5 file, like the Keras applications files. */
import { CONV_LAYERS, type ConvLayerName, weightsNameOf } from '../layers.js';
import { createHdf5 } from '../node/hdf5.js';
import type { Vgg19Weights } from '../types.js';

export interface KerasFixtureOptions {
  /** Keras 1 weight names (`block1_conv1_W_1:0`, directly in the layer group) instead of `block1_conv1/kernel:0`. */
  readonly oldNames?: boolean;
}

function fixedStrings(values: readonly string[]): [string[], string] {
  return [[...values], `S${Math.max(1, ...values.map((v) => v.length))}`];
}

export async function writeKerasH5(
  path: string,
  weights: Vgg19Weights,
  options: KerasFixtureOptions = {},
): Promise<void> {
  const file = await createHdf5(path);
  try {
    const layerNames = ['input_1'];
    const blocks = new Set(weights.available.map((layer) => layer.slice(4, 5)));
    for (const block of blocks) {
      for (const layer of CONV_LAYERS.filter((l) => l.startsWith(`conv${block}_`) && weights.layers.has(l))) {
        layerNames.push(weightsNameOf(layer));
      }
      layerNames.push(`block${block}_pool`);
    }
    file.create_attribute('layer_names', ...withShape(fixedStrings(layerNames)));
    file.create_attribute('backend', 'tensorflow');
    for (const name of layerNames) {
      const group = file.create_group(name);
      const layer = `conv${name.slice(5, 6)}_${name.slice(-1)}` as ConvLayerName;
      const conv = name.includes('_conv') ? weights.layers.get(layer) : undefined;
      if (!conv) {
        group.create_attribute('weight_names', [], [0], 'S1'); // input and pooling layers have no weights
        continue;
      }
      const [kernelName, biasName] = options.oldNames
        ? [`${name}_W_1:0`, `${name}_b_1:0`]
        : [`${name}/kernel:0`, `${name}/bias:0`];
      group.create_attribute('weight_names', ...withShape(fixedStrings([kernelName, biasName])));
      const holder = options.oldNames ? group : group.create_group(name);
      holder.create_dataset({
        name: kernelName.split('/').at(-1) as string,
        data: conv.kernel,
        shape: [...conv.kernelShape],
        dtype: '<f',
      });
      holder.create_dataset({
        name: biasName.split('/').at(-1) as string,
        data: conv.bias,
        shape: [conv.bias.length],
        dtype: '<f',
      });
    }
  } finally {
    file.close();
  }
}

function withShape([values, dtype]: [string[], string]): [string[], number[], string] {
  return [values, [values.length], dtype];
}
