/**
 * models:fetch: make models/vgg19/ hold verified VGG19 weights — present and valid: nothing to do;
 * otherwise get the Keras file (cached copy, a given file, or a download), check its MD5, convert the
 * layers and write the output all or nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cancelledError } from '@impasto/errors';
import { encodeWeights } from '../encode.js';
import { badWeights } from '../errors.js';
import type { ConvLayerName } from '../layers.js';
import type { StoredDtype } from '../manifest.js';
import { type DownloadProgress, downloadFromMirrors } from './download.js';
import { readKerasVgg19 } from './keras-h5-lazy.js';
import { modelsDir } from './location.js';
import { md5File } from './md5.js';
import { type ModelSpec, readModelSpec } from './spec.js';
import { type VerifySummary, verifyWeightsDirectory } from './verify.js';
import { writeWeightsDirectory } from './write-dir.js';

export interface FetchOptions {
  readonly dtype?: StoredDtype;
  readonly allLayers?: boolean;
  /** Default models/vgg19. */
  readonly outDir?: string;
  /** Where the verified source file is kept; default models/.cache. */
  readonly cacheDir?: string;
  /** A Keras .h5 obtained elsewhere: used instead of downloading (its MD5 is still checked). */
  readonly sourceFile?: string;
  /** Default: models/vgg19.json. */
  readonly spec?: ModelSpec;
  /** Tried before the spec's mirrors. */
  readonly extraMirrors?: readonly string[];
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onProgress?: DownloadProgress;
  readonly log?: (line: string) => void;
}

export interface FetchResult {
  readonly status: 'already present' | 'written';
  readonly dir: string;
  readonly summary: VerifySummary;
}

/** What to tell the user after a failure. */
export function whatToDo(spec: ModelSpec): string {
  return [
    'What to do:',
    '  - check the network (or proxy) and run `pnpm models:fetch` again; an interrupted download resumes;',
    `  - or get ${spec.source.file} (md5 ${spec.source.md5}) from any mirror in models/vgg19.json and run`,
    '    `pnpm models:fetch --source /path/to/that.h5`;',
    '  - or use converted weights you already have: set IMPASTO_WEIGHTS=/path/to/dir (a folder with weights_manifest.json).',
  ].join('\n');
}

async function existingMatches(outDir: string, spec: ModelSpec, dtype: StoredDtype, layers: readonly ConvLayerName[]) {
  if (!existsSync(outDir)) return undefined;
  try {
    const summary = await verifyWeightsDirectory(outDir, spec);
    const same =
      summary.dtypes.length === 1 &&
      summary.dtypes[0] === dtype &&
      summary.manifestHashes &&
      summary.available.join() === layers.join();
    return same ? summary : undefined;
  } catch {
    return undefined; // invalid output is replaced
  }
}

/** A verified source file: the given one, the cached one, or a fresh download into the cache (resumed if cut off). */
export async function obtainSourceFile(spec: ModelSpec, options: FetchOptions): Promise<string> {
  const { file, md5 } = spec.source;
  if (options.sourceFile) {
    const actual = await md5File(options.sourceFile);
    if (actual !== md5) {
      throw badWeights(`${options.sourceFile} has md5 ${actual}, not ${md5}: it is not ${file}`, {
        file: options.sourceFile,
      });
    }
    return options.sourceFile;
  }
  const cacheDir = options.cacheDir ?? join(modelsDir(), '.cache');
  const cached = join(cacheDir, file);
  if (existsSync(cached) && (await md5File(cached)) === md5) return cached;
  await mkdir(cacheDir, { recursive: true });
  const mirrors = [...(options.extraMirrors ?? []), ...spec.source.mirrors];
  const { url } = await downloadFromMirrors(mirrors, cached, md5, {
    ...options,
    ...(spec.source.bytes ? { expectedBytes: spec.source.bytes } : {}),
  });
  options.log?.(`verified md5 ${md5} (${url})`);
  return cached;
}

export async function fetchModel(options: FetchOptions = {}): Promise<FetchResult> {
  const spec = options.spec ?? (await readModelSpec());
  const dtype = options.dtype ?? 'float16';
  const layers = options.allLayers ? spec.layers.all : spec.layers.default;
  const outDir = options.outDir ?? join(modelsDir(), 'vgg19');
  const present = await existingMatches(outDir, spec, dtype, layers);
  if (present) return { status: 'already present', dir: outDir, summary: present };

  let source: string;
  try {
    source = await obtainSourceFile(spec, options);
  } catch (error) {
    if (options.signal?.aborted) throw cancelledError(options.signal);
    throw Object.assign(error as Error, { message: `${(error as Error).message}\n${whatToDo(spec)}` });
  }
  options.log?.(`converting ${layers.length} layers to ${dtype}`);
  const summary = await convertKerasFile(source, outDir, spec, { dtype, layers, writtenBy: 'impasto models:fetch' });
  return { status: 'written', dir: outDir, summary };
}

export interface ConvertOptions {
  readonly dtype: StoredDtype;
  readonly layers: readonly ConvLayerName[];
  /** Recorded in the manifest. */
  readonly writtenBy: string;
}

/**
 * Converts a verified Keras .h5 into a weights folder at `outDir`, all or nothing: the new folder is written and
 * verified beside the old one, which it replaces only then (a failure leaves the old weights in place).
 */
export async function convertKerasFile(
  source: string,
  outDir: string,
  spec: ModelSpec,
  options: ConvertOptions,
): Promise<VerifySummary> {
  const weights = await readKerasVgg19(source, options.layers);
  const encoded = await encodeWeights(weights, { dtype: options.dtype, layers: options.layers });
  const extra = { source: { file: spec.source.file, md5: spec.source.md5 }, writtenBy: options.writtenBy };
  await writeWeightsDirectory(outDir, encoded, extra, async (dir) => {
    await verifyWeightsDirectory(dir, spec); // before it replaces anything
  });
  return verifyWeightsDirectory(outDir, spec);
}
