import { describe, expect, it } from 'vitest';
import { encodeWeights } from './encode.js';
import { weightsFromPickedFiles } from './picked-folder.js';
import { syntheticWeights } from './testing/index.js';

/** These tests decode float16: their weights include values below float16's normal range. */
const SUBNORMALS = { float16Subnormals: true };

const source = syntheticWeights(['conv1_1'], 4, SUBNORMALS);
const encoded = await encodeWeights(source, { dtype: 'float32' });
/** conv1_1: 3·3·3·64 kernel values then 64 biases. */
const TINY_VALUES = 3 * 3 * 3 * 64 + 64;

/** The encoded conv1_1 with its shard stored at `shardPath` (no SHA-256s, so the size check is what catches a cut). */
function tinyWeights(shardPath = 'conv1_1.bin') {
  const group = encoded.manifest.weightsManifest[0];
  const manifest = {
    format: 'tfjs-weights-manifest',
    weightsManifest: [{ paths: [shardPath], weights: group?.weights }],
  };
  return { manifestText: JSON.stringify(manifest), shard: encoded.shards.get('block1_conv1.bin') as Uint8Array };
}

/** A File as a browser's folder picker makes it: its path below the picked folder in webkitRelativePath. */
function picked(path: string, body: Uint8Array | string): File {
  const file = new File([body as BlobPart], path.split('/').at(-1) as string);
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

function vgg19Folder(root: string, shardPath = 'conv1_1.bin') {
  const { manifestText, shard } = tinyWeights(shardPath);
  return [picked(`${root}/weights_manifest.json`, manifestText), picked(`${root}/${shardPath}`, shard)];
}

describe('weights from a picked folder', () => {
  it('loads and checks the weights, reporting progress', async () => {
    const { folder, load } = weightsFromPickedFiles(vgg19Folder('vgg19'));
    expect(folder).toBe('vgg19');
    const progress: [number, number][] = [];
    const weights = await load({ onProgress: (loaded, total) => progress.push([loaded, total]) });
    expect(weights.available).toEqual(['conv1_1']);
    expect(weights.layers.get('conv1_1')?.kernel).toEqual(source.layers.get('conv1_1')?.kernel);
    expect(progress.at(-1)).toEqual([TINY_VALUES * 4, TINY_VALUES * 4]);
  });

  it('finds the manifest below the picked folder, the shallowest one when there are several', async () => {
    const files = [
      picked('models/README.md', '# models'),
      ...vgg19Folder('models/vgg19', 'shards/one layer.bin'),
      picked('models/vgg19/old/weights_manifest.json', '{}'),
    ];
    const { folder, load } = weightsFromPickedFiles(files);
    expect(folder).toBe('models/vgg19');
    expect((await load()).available).toEqual(['conv1_1']);
  });

  it('accepts files picked without a folder (no relative paths)', async () => {
    const { manifestText, shard } = tinyWeights();
    const { folder, load } = weightsFromPickedFiles([
      new File([manifestText], 'weights_manifest.json'),
      new File([shard as BlobPart], 'conv1_1.bin'),
    ]);
    expect(folder).toBe('');
    expect((await load()).available).toEqual(['conv1_1']);
  });

  it('says so when the folder has no manifest', () => {
    expect(() => weightsFromPickedFiles([picked('photos/cat.jpg', 'x')])).toThrow(
      'the chosen folder has no weights_manifest.json; choose the folder that `pnpm models:fetch` writes (models/vgg19)',
    );
  });

  it('names a shard the manifest lists but the folder lacks', async () => {
    const [manifest] = vgg19Folder('vgg19');
    const { load } = weightsFromPickedFiles([manifest as File]);
    await expect(load()).rejects.toThrow(
      'weights shard not found: vgg19/conv1_1.bin (listed in vgg19/weights_manifest.json)',
    );
  });

  it('names files by their place in the picked folder', async () => {
    const { manifestText, shard } = tinyWeights();
    const files = [
      picked('vgg19/weights_manifest.json', manifestText),
      picked('vgg19/conv1_1.bin', shard.slice(0, 400)),
    ];
    await expect(weightsFromPickedFiles(files).load()).rejects.toThrow(
      `shard vgg19/conv1_1.bin truncated: 400 bytes, the manifest's weights need ${TINY_VALUES * 4} bytes`,
    );
    const broken = [picked('vgg19/weights_manifest.json', '{"weightsManifest": 3}')];
    await expect(weightsFromPickedFiles(broken).load()).rejects.toThrow(
      'weights manifest vgg19/weights_manifest.json: expected {"weightsManifest": [...]} or a list of weight groups',
    );
  });
});
