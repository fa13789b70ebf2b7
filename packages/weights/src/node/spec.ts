/** vgg19.json: where the VGG19 weights come from, which layers are kept, and pinned output hashes. */
import { readFile } from 'node:fs/promises';
import vgg19 from '../../vgg19.json' with { type: 'json' };
import { badWeights } from '../errors.js';
import { type ConvLayerName, isConvLayerName } from '../layers.js';
import type { StoredDtype } from '../manifest.js';

export interface ModelSpec {
  readonly source: {
    readonly file: string;
    readonly md5: string;
    /** Expected size, only used for the progress bar when a server sends no length. */
    readonly bytes?: number;
    readonly mirrors: readonly string[];
  };
  readonly layers: { readonly default: readonly ConvLayerName[]; readonly all: readonly ConvLayerName[] };
  /** Per stored dtype, shard file name -> SHA-256 (lowercase hex), or null while not pinned. */
  readonly shardSha256: Readonly<Record<StoredDtype, Readonly<Record<string, string | null>>>>;
}

/** How vgg19.json is named in messages (it is bundled: hosts such as the VS Code extension carry it inside). */
export const SPEC_NAME = '@impasto/weights/vgg19.json';

function fail(path: string, problem: string): never {
  throw badWeights(`${path}: ${problem}`);
}

function layerList(value: unknown, path: string, key: string): ConvLayerName[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((l) => typeof l === 'string' && isConvLayerName(l))) {
    fail(path, `layers.${key} must be a non-empty list of VGG19 conv layer names (conv1_1 ... conv5_4)`);
  }
  return value as ConvLayerName[];
}

function hashTable(value: unknown, path: string, dtype: string): Record<string, string | null> {
  if (typeof value !== 'object' || value === null) fail(path, `shardSha256.${dtype} must be an object`);
  for (const [file, hash] of Object.entries(value)) {
    if (hash !== null && !(typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash))) {
      fail(path, `shardSha256.${dtype}["${file}"] must be null or a lowercase 64-digit hex SHA-256`);
    }
  }
  return value as Record<string, string | null>;
}

/** Checks parsed vgg19.json. */
export function parseModelSpec(json: unknown, path = SPEC_NAME): ModelSpec {
  const spec = json as Record<string, Record<string, unknown> | undefined>;
  const source = spec?.source;
  if (!source || typeof source.file !== 'string') fail(path, 'source.file is missing');
  if (typeof source.md5 !== 'string' || !/^[0-9a-f]{32}$/.test(source.md5))
    fail(path, 'source.md5 must be 32 hex digits');
  const mirrors = source.mirrors;
  if (!Array.isArray(mirrors) || !mirrors.every((m) => typeof m === 'string' && /^https?:\/\//.test(m))) {
    fail(path, 'source.mirrors must be a list of http(s) URLs');
  }
  const hashes = spec.shardSha256 ?? {};
  return {
    source: {
      file: source.file,
      md5: source.md5,
      ...(typeof source.bytes === 'number' ? { bytes: source.bytes } : {}),
      mirrors: mirrors as string[],
    },
    layers: {
      default: layerList(spec.layers?.default, path, 'default'),
      all: layerList(spec.layers?.all, path, 'all'),
    },
    shardSha256: {
      float16: hashTable(hashes.float16 ?? {}, path, 'float16'),
      float32: hashTable(hashes.float32 ?? {}, path, 'float32'),
    },
  };
}

/** The spec this package carries, or one read from `path`. */
export async function readModelSpec(path?: string): Promise<ModelSpec> {
  return path ? parseModelSpec(JSON.parse(await readFile(path, 'utf8')), path) : parseModelSpec(vgg19);
}
