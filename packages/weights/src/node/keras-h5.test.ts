import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvWeights } from '../index.js';
import { syntheticWeights } from '../testing/index.js';
import { writeKerasH5 } from '../testing/keras-h5-fixture.js';
import { createHdf5 } from './hdf5.js';
import { readKerasVgg19 } from './keras-h5.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

const LAYERS = ['conv1_1', 'conv1_2', 'conv2_1'] as const;
const source = syntheticWeights(LAYERS, 21, SUBNORMALS);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'impasto-h5-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectSameValues(got: Float32Array | undefined, want: Float32Array | undefined): void {
  expect(got?.length).toBe(want?.length);
  expect(got?.every((v, i) => v === want?.[i])).toBe(true);
}

describe('readKerasVgg19', () => {
  for (const oldNames of [false, true]) {
    it(`reads every value of the requested layers (${oldNames ? 'Keras 1' : 'Keras 2'} weight names)`, async () => {
      const file = join(dir, `names-${oldNames}.h5`);
      await writeKerasH5(file, source, { oldNames });
      const weights = await readKerasVgg19(file, ['conv2_1', 'conv1_1']);
      expect(weights.available).toEqual(['conv1_1', 'conv2_1']);
      expect(weights.layers.get('conv2_1')?.kernelShape).toEqual([3, 3, 64, 128]);
      for (const layer of ['conv1_1', 'conv2_1'] as const) {
        expectSameValues(weights.layers.get(layer)?.kernel, source.layers.get(layer)?.kernel);
        expectSameValues(weights.layers.get(layer)?.bias, source.layers.get(layer)?.bias);
      }
    });
  }

  it('names the layers a file lacks and those it has', async () => {
    const file = join(dir, 'short.h5');
    await writeKerasH5(file, syntheticWeights(['conv1_1', 'conv1_2'], 1, SUBNORMALS));
    await expect(readKerasVgg19(file, LAYERS)).rejects.toThrow(
      `${file} lacks block2_conv1 (it has block1_conv1, block1_conv2)`,
    );
  });

  it('reports a truncated file with HDF5 own diagnosis', async () => {
    const whole = join(dir, 'whole.h5');
    await writeKerasH5(whole, source);
    const bytes = await readFile(whole);
    const cut = join(dir, 'cut.h5');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(readKerasVgg19(cut, LAYERS)).rejects.toThrow(
      new RegExp(
        `cannot read ${cut} as HDF5 \\(truncated file: eof = ${Math.floor(bytes.length * 0.6)}.*stored_eof = ${bytes.length}\\)`,
      ),
    );
  });

  it('rejects files that are not HDF5, not Keras weights, or missing', async () => {
    const text = join(dir, 'text.h5');
    await writeFile(text, 'not hdf5 at all');
    await expect(readKerasVgg19(text, LAYERS)).rejects.toThrow(`cannot read ${text} as HDF5`);
    const plain = join(dir, 'plain.h5');
    (await createHdf5(plain)).close();
    await expect(readKerasVgg19(plain, LAYERS)).rejects.toThrow(
      'is not a Keras weights file: no layer_names attribute',
    );
    await expect(readKerasVgg19(join(dir, 'absent.h5'), LAYERS)).rejects.toThrow('HDF5 file not found');
  });

  it('rejects a kernel of the wrong shape (e.g. channels-first)', async () => {
    const weights = syntheticWeights(['conv1_1'], 1, SUBNORMALS);
    const conv = weights.layers.get('conv1_1') as ConvWeights;
    const channelsFirst: ConvWeights = { ...conv, kernelShape: [64, 3, 3, 3] };
    const file = join(dir, 'th.h5');
    await writeKerasH5(file, { ...weights, layers: new Map([['conv1_1', channelsFirst]]) });
    await expect(readKerasVgg19(file, ['conv1_1'])).rejects.toThrow(
      'block1_conv1/kernel:0 has shape [64, 3, 3, 3]; VGG19 conv1_1 needs kernel [3, 3, 3, 64] and bias [64] (channels-first?',
    );
  });
});
