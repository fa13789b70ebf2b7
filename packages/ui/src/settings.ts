import {
  BROWSER_BACKEND_CHOICES,
  type ConvLayerName,
  LAYER_PRESETS,
  largestSideThatFits,
  type OptimizerName,
  resolveOptions,
  type StylizeOptions,
  styleWeightForStrength,
} from '@impasto/engine';
import type { BrowserBackendPreference } from '@impasto/engine/browser';

export type PanelStart = 'content' | 'noise';

/** What a person sets in the panel. Plain data: hosts persist it as JSON. */
export interface PanelSettings {
  /** Longest side of the result, px. */
  readonly size: number;
  readonly iterations: number;
  /** Style strength 0–100 (50 = the engine's default β). */
  readonly strength: number;
  readonly optimizer: OptimizerName;
  /** Where the optimisation starts: the photo (the default: reaches a given loss in fewer steps) or seeded noise. */
  readonly start: PanelStart;
  /** Seed of the noise start. */
  readonly seed: number;
  readonly backend: BrowserBackendPreference;
  /** Keep the photo's colours: style in luminance only. */
  readonly keepColors: boolean;
}

export const DEFAULT_PANEL_SETTINGS: PanelSettings = {
  size: 384,
  iterations: 100,
  strength: 50,
  optimizer: 'lbfgs',
  start: 'content',
  seed: 0,
  backend: 'auto',
  keepColors: false,
};

/** The compute paths a person may choose (Advanced): auto, or one by name. */
export const BACKEND_CHOICES = BROWSER_BACKEND_CHOICES satisfies readonly BrowserBackendPreference[];

/** Up to 4096 px: above the engine's memory budget it computes in exact tiles (slow on software WebGL). */
export const SIZE_CHOICES = [128, 256, 384, 512, 768, 1024, 2048, 4096] as const;

/** The size menu: SIZE_CHOICES, plus the current size in order when it is another (stored, or from a shared link). */
export function sizeChoicesFor(size: number): number[] {
  const choices: number[] = [...SIZE_CHOICES];
  return choices.includes(size) ? choices : [...choices, size].sort((a, b) => a - b);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Whatever was stored (old versions, hand edits) becomes valid settings; unknown or broken values fall back. */
export function sanitizeSettings(stored: unknown): PanelSettings {
  const s = (typeof stored === 'object' && stored ? stored : {}) as Record<string, unknown>;
  const num = (key: keyof PanelSettings, lo: number, hi: number) => {
    const v = s[key];
    return typeof v === 'number' && Number.isFinite(v)
      ? clamp(Math.round(v), lo, hi)
      : (DEFAULT_PANEL_SETTINGS[key] as number);
  };
  const optimizer = s.optimizer === 'adam' || s.optimizer === 'lbfgs' ? s.optimizer : DEFAULT_PANEL_SETTINGS.optimizer;
  const start = s.start === 'noise' || s.start === 'content' ? s.start : DEFAULT_PANEL_SETTINGS.start;
  // 'wasm' (tfjs's, before ONNX Runtime's WebAssembly replaced it in the hosts) keeps meaning WebAssembly.
  const asked = s.backend === 'wasm' ? 'ort-wasm' : s.backend;
  const backend =
    typeof asked === 'string' && (BACKEND_CHOICES as readonly string[]).includes(asked)
      ? (asked as BrowserBackendPreference)
      : 'auto';
  return {
    size: num('size', 32, 4096),
    iterations: num('iterations', 1, 2000),
    strength: num('strength', 0, 100),
    optimizer,
    start,
    seed: num('seed', 0, 2 ** 31 - 1),
    backend,
    keepColors: typeof s.keepColors === 'boolean' ? s.keepColors : DEFAULT_PANEL_SETTINGS.keepColors,
  };
}

/** The layer set a network can run: the paper's when the weights have it, else the shallow preset. */
export function layersFor(available: readonly ConvLayerName[]) {
  const paper = [...LAYER_PRESETS.paper.contentLayers, ...LAYER_PRESETS.paper.styleLayers];
  return paper.every((l) => available.includes(l)) ? LAYER_PRESETS.paper : LAYER_PRESETS.shallow;
}

/** Panel settings as engine options (validated by the engine's resolveOptions when the run starts). */
export function toStylizeOptions(
  settings: PanelSettings,
  available: readonly ConvLayerName[],
): Partial<StylizeOptions> {
  const layers = layersFor(available);
  return {
    size: settings.size,
    iterations: settings.iterations,
    optimizer: settings.optimizer,
    init: settings.start,
    seed: settings.seed,
    styleWeight: styleWeightForStrength(settings.strength),
    keepColors: settings.keepColors,
    contentLayers: layers.contentLayers,
    styleLayers: layers.styleLayers,
    // About 30 preview updates per run, at least every 10 iterations.
    previewEvery: clamp(Math.round(settings.iterations / 30), 1, 10),
  };
}

/** A photo's shape where none is chosen yet: a camera's 4:3. */
const TYPICAL_PHOTO = { width: 4000, height: 3000 };

/**
 * The largest size (longest side) a run of these settings can take on `backend` within `memoryBytes`, by the
 * engine's memory model (memory-policy.ts): larger sizes are refused before they start, and the size menu marks
 * them. `content`: the chosen photo's size (its shape matters), else a typical photo's.
 */
export function largestSizeFor(
  settings: PanelSettings,
  layers: readonly ConvLayerName[],
  backend: string,
  memoryBytes: number,
  content: { readonly width: number; readonly height: number } | null = null,
): number {
  const options = resolveOptions({ ...toStylizeOptions(settings, layers), size: SIZE_CHOICES.at(-1) as number });
  return largestSideThatFits(options, content ?? TYPICAL_PHOTO, memoryBytes, backend);
}
