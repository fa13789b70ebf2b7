/** The impasto command's argv to a CliConfig: parsed by the option table (cli-options.ts), checked here. */
import type { NodeBackendPreference } from '@impasto/engine/node';
import {
  BACKENDS,
  LAYER_PRESETS,
  type LayerPresetName,
  OptionError,
  type StylizeOptions,
  styleWeightForStrength,
} from '@impasto/engine/node';
import { ImpastoError, messageOf } from '@impasto/errors';
import { CLI_OPTIONS } from './cli-options.js';
import { parseCommandLine } from './terminal/command-line.js';

export interface CliConfig {
  readonly content: string;
  readonly styles: readonly string[];
  readonly output: string;
  readonly weights: string | undefined;
  readonly backend: NodeBackendPreference;
  /** ONNX Runtime's threads; undefined: every core (computeThreads). */
  readonly threads: number | undefined;
  readonly saveEvery: number;
  readonly json: boolean;
  readonly quiet: boolean;
  /** An image file to start from, when --init names one. */
  readonly initFile: string | undefined;
  readonly styleBlend: readonly number[] | undefined;
  /** One per style, in order (fewer: the rest have none); `invert` takes the mask's inverse. */
  readonly masks: readonly { readonly file: string; readonly invert: boolean }[];
  /** Options for the engine; validated there (resolveOptions) so the CLI and the API agree. */
  readonly options: Partial<StylizeOptions>;
}

/** The table's values by name: strings, the flags as booleans, --mask as a list. */
type CliValues = Partial<Record<string, string>> & {
  readonly mask?: string[];
  readonly 'keep-colors'?: boolean;
  readonly 'color-match'?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly help?: boolean;
};

/** Thrown for a usage mistake; the CLI prints it with a pointer to --help and exits with 2. */
export class UsageError extends ImpastoError {
  override name = 'UsageError';
  constructor(message: string) {
    super('bad-option', message);
  }
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} takes a number (got "${value}")`);
  return n;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

function strengthWeight(strength: number | undefined): number | undefined {
  if (strength === undefined) return undefined;
  try {
    return styleWeightForStrength(strength);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function balanceSizeArg(value: string | undefined): number | null | undefined {
  return value === 'off' ? null : number('balance-size', value);
}

function scalesArg(value: string | undefined): number | number[] | undefined {
  const sides = list(value)?.map((n) => number('scales', n) as number);
  return sides && sides.length === 1 ? sides[0] : sides;
}

/** A byte count as 4G, 1500M, 512K or plain bytes (binary units). */
export function bytesArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-memory takes a size such as 4G or 1500M (got "${value}")`);
  const unit = { '': 0, K: 1, M: 2, G: 3, T: 4 }[(m[2] as string).toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * 1024 ** unit);
}

/** Parses argv (without node and the script). Returns null for --help. */
export function parseCliArgs(argv: readonly string[]): CliConfig | null {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv, CLI_OPTIONS);
  } catch (e) {
    throw new UsageError(messageOf(e));
  }
  const v = parsed.values as CliValues;
  if (v.help) return null;
  const [content, ...styles] = parsed.positionals;
  if (!content || styles.length === 0) throw new UsageError('give a content image and at least one style image');
  if (!v.output) throw new UsageError('give the output file with -o out.png');
  const backend = v.backend ?? 'auto';
  const names: readonly string[] = ['auto', 'onnx', ...BACKENDS];
  if (!names.includes(backend)) throw new UsageError(`--backend must be one of ${names.join(', ')} (got "${backend}")`);
  let preset: (typeof LAYER_PRESETS)[LayerPresetName] | undefined;
  if (v.preset !== undefined) {
    if (!(v.preset in LAYER_PRESETS))
      throw new UsageError(`--preset must be one of ${Object.keys(LAYER_PRESETS).join(', ')}`);
    preset = LAYER_PRESETS[v.preset as LayerPresetName];
  }
  const blend = list(v['style-blend'])?.map((w) => number('style-blend', w) as number);
  if (blend && blend.length !== styles.length) {
    throw new UsageError(`--style-blend has ${blend.length} weights for ${styles.length} style images`);
  }
  const masks = (v.mask ?? []).map((m) =>
    m.startsWith('invert:') ? { file: m.slice('invert:'.length), invert: true } : { file: m, invert: false },
  );
  if (masks.length > styles.length) {
    throw new UsageError(`${masks.length} masks for ${styles.length} style images (one mask per style, in order)`);
  }
  if (masks.some((m) => m.file === '')) throw new UsageError('--mask takes an image file (or invert:FILE)');
  const threads = number('threads', v.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 1024)) {
    throw new UsageError(`--threads takes a whole number from 1 to 1024 (got ${threads})`);
  }
  const init = v.init;
  const saveEvery = number('save-every', v['save-every']) ?? 0;
  if (!Number.isInteger(saveEvery) || saveEvery < 0) throw new UsageError('--save-every takes a whole number ≥ 0');
  const options: Partial<StylizeOptions> = {
    size: number('size', v.size),
    iterations: number('iterations', v.iterations),
    tolerance: number('tolerance', v.tolerance),
    optimizer: v.optimizer as StylizeOptions['optimizer'] | undefined,
    contentWeight: number('content-weight', v['content-weight']),
    balanceSize: balanceSizeArg(v['balance-size']),
    styleWeight: number('style-weight', v['style-weight']) ?? strengthWeight(number('strength', v.strength)),
    tvWeight: number('tv-weight', v['tv-weight']),
    seed: number('seed', v.seed),
    pooling: v.pooling as StylizeOptions['pooling'] | undefined,
    learningRate: number('learning-rate', v['learning-rate']),
    contentLayers: (list(v['content-layers']) ?? preset?.contentLayers) as StylizeOptions['contentLayers'] | undefined,
    styleLayers: (list(v['style-layers']) ?? preset?.styleLayers) as StylizeOptions['styleLayers'] | undefined,
    previewEvery: saveEvery,
    coarseToFine: v['coarse-to-fine'] as StylizeOptions['coarseToFine'] | undefined,
    scales: scalesArg(v.scales),
    stageIterations: list(v['stage-iterations'])?.map((n) => number('stage-iterations', n) as number),
    keepColors: v['keep-colors'],
    colorMatch: v['color-match'],
    styleScale: number('style-scale', v['style-scale']),
    maxMemory: bytesArg(v['max-memory']),
    tileSize: number('tile-size', v['tile-size']),
    ...(init === 'noise' || init === 'content' ? { init } : {}),
  };
  return {
    content,
    styles,
    output: v.output,
    weights: v.weights,
    backend: backend as NodeBackendPreference,
    threads,
    saveEvery,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    initFile: init === undefined || init === 'noise' || init === 'content' ? undefined : init,
    styleBlend: blend,
    masks,
    options: Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined)),
  };
}

export { OptionError };
