/**
 * Parses a TensorFlow.js weights manifest into a loading plan, checking it against VGG19's layer table
 * before any shard is read.
 *
 * Accepted JSON: `{ weightsManifest: Group[], ...anything }` (also model.json) or a bare `Group[]`
 * (what tfjs's `write_weights` writes), where
 *   Group = { paths: string[], weights: Entry[], sha256?: string[] }
 *   Entry = { name, shape, dtype: 'float32' | 'float16' } or, tfjs's own spelling of float16,
 *           { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }.
 * `sha256` (Impasto's addition, ignored by tfjs) holds the lowercase hex SHA-256 of each file in `paths`,
 * in the same order. A group's files are concatenated in `paths` order; its weights lie back to back in
 * manifest order, little endian. Conv weights are named `blockB_convI/kernel` (HWIO [3, 3, in, out]) and
 * `blockB_convI/bias` ([out]); any other weight is skipped over.
 */
import { badWeights } from './errors.js';
import { CONV_LAYERS, type ConvLayerName, convChannels, isConvLayerName } from './layers.js';

/** The file name of a manifest in a weights folder, whoever wrote it. */
export const WEIGHTS_MANIFEST_FILE = 'weights_manifest.json';

export type StoredDtype = 'float32' | 'float16';

export const BYTES_PER_ELEMENT: Readonly<Record<StoredDtype, number>> = { float32: 4, float16: 2 };

/** Which VGG19 parameter a manifest entry holds. */
export interface ConvTarget {
  readonly layer: ConvLayerName;
  readonly role: 'kernel' | 'bias';
}

export interface PlannedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: StoredDtype;
  /** Where the weight starts within its group's concatenated files. */
  readonly byteOffset: number;
  readonly byteLength: number;
  /** Set for VGG19 conv weights; unset for weights the engine skips. */
  readonly target?: ConvTarget;
}

export interface PlannedGroup {
  readonly paths: readonly string[];
  /** Expected SHA-256 (lowercase hex) per path, when the manifest pins them. */
  readonly sha256?: readonly string[];
  readonly weights: readonly PlannedWeight[];
  /** Bytes of all the group's files together. */
  readonly byteLength: number;
}

export interface WeightsPlan {
  readonly groups: readonly PlannedGroup[];
  /** Bytes of all shard files together: the total for progress reports. */
  readonly totalBytes: number;
  /** Conv layers with both kernel and bias, in network order. */
  readonly available: readonly ConvLayerName[];
}

const CONV_WEIGHT_NAME = /^block(\d+)_conv(\d+)\/(kernel|bias)$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which conv parameter a weight name denotes, if any: `block3_conv2/kernel` -> conv3_2 kernel. */
export function convTargetOf(name: string): ConvTarget | undefined {
  const match = CONV_WEIGHT_NAME.exec(name);
  if (!match) return undefined;
  const layer = `conv${match[1]}_${match[2]}`;
  if (!isConvLayerName(layer)) return undefined;
  return { layer, role: match[3] as 'kernel' | 'bias' };
}

/** The shape VGG19 demands for a conv parameter. */
export function expectedShape(target: ConvTarget): number[] {
  const { inChannels, outChannels } = convChannels(target.layer);
  return target.role === 'kernel' ? [3, 3, inChannels, outChannels] : [outChannels];
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function storedDtypeOf(entry: Json, where: string): StoredDtype {
  const { dtype, quantization } = entry;
  if (quantization !== undefined) {
    if (!isObject(quantization) || quantization.dtype !== 'float16' || dtype !== 'float32') {
      throw badWeights(
        `${where}: unsupported quantization ${JSON.stringify(quantization)} (only float16 is supported)`,
      );
    }
    return 'float16';
  }
  if (dtype === 'float32' || dtype === 'float16') return dtype;
  throw badWeights(`${where}: unsupported dtype ${JSON.stringify(dtype)} (supported: float32, float16)`);
}

function parseShape(value: unknown, where: string): number[] {
  if (!Array.isArray(value) || !value.every((d) => Number.isInteger(d) && d >= 0)) {
    throw badWeights(`${where}: shape must be a list of non-negative integers, got ${JSON.stringify(value)}`);
  }
  return value as number[];
}

/** A shard path must stay inside the manifest's folder, whether joined to a directory or resolved as a URL. */
function parsePath(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw badWeights(`${where}: paths must be non-empty strings`);
  const segments = value.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment); // URLs treat %2e%2e as '..'
    } catch {
      return segment;
    }
  });
  const escapes =
    value.startsWith('/') ||
    /[\\\0?#]/.test(value) ||
    /^[a-z][a-z0-9+.-]*:/i.test(value) ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('/'));
  if (escapes) {
    throw badWeights(
      `${where}: shard path ${JSON.stringify(value)} must be a plain relative path inside the manifest's folder (no '..', '/', '\\', '?' or '#' tricks)`,
      { file: value },
    );
  }
  return value;
}

function parseSha256(value: unknown, pathCount: number, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ok = Array.isArray(value) && value.length === pathCount;
  if (!ok || !value.every((h) => typeof h === 'string' && SHA256_HEX.test(h.toLowerCase()))) {
    throw badWeights(`${where}: sha256 must list one 64-digit hex SHA-256 per path (${pathCount})`);
  }
  return (value as string[]).map((h) => h.toLowerCase());
}

function parseEntry(entry: unknown, byteOffset: number, where: string): PlannedWeight {
  if (!isObject(entry) || typeof entry.name !== 'string') {
    throw badWeights(`${where}: each weight needs a name, shape and dtype`);
  }
  const at = `${where}, weight ${entry.name}`;
  const shape = parseShape(entry.shape, at);
  const dtype = storedDtypeOf(entry, at);
  const byteLength = shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[dtype];
  const target = convTargetOf(entry.name);
  if (target) {
    const expected = expectedShape(target);
    if (shapeText(expected) !== shapeText(shape)) {
      throw badWeights(
        `${where}: ${entry.name} (layer ${target.layer}) has shape ${shapeText(shape)}; VGG19 needs ${shapeText(expected)}`,
      );
    }
  }
  return { name: entry.name, shape, dtype, byteOffset, byteLength, ...(target ? { target } : {}) };
}

function parseGroup(group: unknown, where: string): PlannedGroup {
  if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
    throw badWeights(`${where}: each group needs "paths" and "weights" lists`);
  }
  if (group.paths.length === 0) throw badWeights(`${where}: "paths" is empty`);
  const paths = group.paths.map((p) => parsePath(p, where));
  const sha256 = parseSha256(group.sha256, paths.length, where);
  let byteLength = 0;
  const weights = group.weights.map((entry) => {
    const planned = parseEntry(entry, byteLength, where);
    byteLength += planned.byteLength;
    return planned;
  });
  return { paths, ...(sha256 ? { sha256 } : {}), weights, byteLength };
}

function availableLayers(groups: readonly PlannedGroup[], source: string): ConvLayerName[] {
  const seen = new Map<ConvLayerName, Set<string>>();
  for (const weight of groups.flatMap((g) => g.weights)) {
    if (!weight.target) continue;
    const roles = seen.get(weight.target.layer) ?? new Set<string>();
    if (roles.has(weight.target.role)) throw badWeights(`${source}: ${weight.name} appears more than once`);
    roles.add(weight.target.role);
    seen.set(weight.target.layer, roles);
  }
  for (const [layer, roles] of seen) {
    const missing = roles.has('kernel') ? 'bias' : 'kernel';
    if (roles.size < 2) throw badWeights(`${source}: layer ${layer} has a ${[...roles][0]} but no ${missing}`);
  }
  if (seen.size === 0) {
    throw badWeights(`${source}: holds no VGG19 conv weights (expected names like block1_conv1/kernel)`);
  }
  return CONV_LAYERS.filter((layer) => seen.has(layer));
}

/**
 * Checks a weights manifest (JSON text or parsed JSON) and plans the load: groups, byte layout, total
 * bytes and the layers it provides. `source` names the manifest in error messages.
 */
export function parseWeightsManifest(json: unknown, source = 'weights manifest'): WeightsPlan {
  let parsed = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw badWeights(`${source} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const groups = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.weightsManifest : undefined;
  if (!Array.isArray(groups)) {
    throw badWeights(`${source}: expected {"weightsManifest": [...]} or a list of weight groups`);
  }
  const planned = groups.map((group, i) => parseGroup(group, `${source}, group ${i + 1}`));
  return {
    groups: planned,
    totalBytes: planned.reduce((sum, g) => sum + g.byteLength, 0),
    available: availableLayers(planned, source),
  };
}
