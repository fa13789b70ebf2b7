/**
 * Checks a weights directory with the loader's own checks (manifest structure, VGG19 shapes, shard sizes,
 * the manifest's own SHA-256s, finite values), then against the hashes pinned in vgg19.json.
 */
import { assembleWeights } from '../assemble.js';
import { badWeights } from '../errors.js';
import { CONV_LAYERS, type ConvLayerName, weightsNameOf } from '../layers.js';
import type { StoredDtype } from '../manifest.js';
import { sha256Hex } from '../sha256.js';
import { readWeightsDirectory } from './folder.js';
import type { ModelSpec } from './spec.js';

export interface LayerSummary {
  readonly layer: ConvLayerName;
  readonly dtype: StoredDtype;
  readonly kernelShape: readonly number[];
  /** Bytes of the shard files holding the layer. */
  readonly bytes: number;
  readonly files: readonly string[];
  readonly sha256: readonly string[];
  /** Whether vgg19.json pins every one of the layer's files (and they matched). */
  readonly pinned: boolean;
}

export interface VerifySummary {
  readonly manifestPath: string;
  readonly available: readonly ConvLayerName[];
  /** Layers of the default set (conv1_1..conv5_1) that are absent. */
  readonly missingFromDefault: readonly ConvLayerName[];
  readonly dtypes: readonly StoredDtype[];
  readonly totalBytes: number;
  /** Whether the manifest itself lists a SHA-256 for every shard (models:fetch output does). */
  readonly manifestHashes: boolean;
  readonly layers: readonly LayerSummary[];
}

export async function verifyWeightsDirectory(dir: string, spec: ModelSpec): Promise<VerifySummary> {
  const { manifestPath, plan, shards } = await readWeightsDirectory(dir);
  await assembleWeights(plan, shards, { describePath: (path) => `${dir}/${path}` });
  const layers: LayerSummary[] = [];
  for (const group of plan.groups) {
    const sha256 = await Promise.all(group.paths.map((p) => sha256Hex(shards.get(p) as Uint8Array)));
    for (const weight of group.weights) {
      if (weight.target?.role !== 'kernel') continue;
      const pins = spec.shardSha256[weight.dtype];
      group.paths.forEach((file, i) => {
        const pinned = pins[file];
        if (pinned && pinned !== sha256[i]) {
          throw badWeights(
            `${dir}/${file} has SHA-256 ${sha256[i]}, but vgg19.json pins ${pinned} for ${weight.dtype}: these are not the weights Impasto expects`,
            { file: `${dir}/${file}` },
          );
        }
      });
      layers.push({
        layer: weight.target.layer,
        dtype: weight.dtype,
        kernelShape: weight.shape,
        bytes: group.byteLength,
        files: group.paths,
        sha256,
        pinned: group.paths.every((file) => Boolean(pins[file])),
      });
    }
  }
  layers.sort((a, b) => CONV_LAYERS.indexOf(a.layer) - CONV_LAYERS.indexOf(b.layer));
  return {
    manifestPath,
    available: plan.available,
    missingFromDefault: spec.layers.default.filter((layer) => !plan.available.includes(layer)),
    dtypes: [...new Set(layers.map((l) => l.dtype))],
    totalBytes: plan.totalBytes,
    manifestHashes: plan.groups.every((g) => g.sha256 !== undefined),
    layers,
  };
}

/** A human-readable report of a verified directory. */
export function formatSummary(summary: VerifySummary): string {
  const { available, missingFromDefault: missing } = summary;
  const pinned = summary.layers.filter((l) => l.pinned).length;
  const lines = [
    `weights: ${summary.manifestPath}`,
    `layers: ${available.length} of ${CONV_LAYERS.length} (${available.join(', ')})`,
    missing.length === 0
      ? 'complete for the default set (conv1_1..conv5_1)'
      : `partial: the default set also needs ${missing.join(', ')}`,
    `dtype: ${summary.dtypes.join(', ')}; ${summary.totalBytes.toLocaleString('en')} bytes`,
    `hashes: ${summary.manifestHashes ? 'the manifest lists a SHA-256 per shard (checked)' : 'the manifest lists no SHA-256s'}; ${pinned} of ${summary.layers.length} layers pinned in vgg19.json${pinned < summary.layers.length ? ' (the rest: not pinned)' : ''}`,
    '',
  ];
  for (const l of summary.layers) {
    const name = weightsNameOf(l.layer);
    const shape = `[${l.kernelShape.join(', ')}]`;
    lines.push(
      `${l.layer.padEnd(8)}${name.padEnd(14)}${l.dtype.padEnd(9)}${shape.padEnd(18)}${l.bytes.toLocaleString('en').padStart(11)}  ${l.files.map((f, i) => `${f} ${l.sha256[i]}`).join(', ')}${l.pinned ? ' (pinned)' : ''}`,
    );
  }
  return lines.join('\n');
}
