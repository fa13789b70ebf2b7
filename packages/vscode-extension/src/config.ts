import * as vscode from 'vscode';
import { BACKEND_SETTINGS, type BackendSetting, type StylizeDefaults } from './protocol.js';

/** The defaults package.json declares for `impasto.*` (a test checks the two agree). */
export const SETTING_DEFAULTS: StylizeDefaults & { weightsPath: string } = {
  weightsPath: '',
  size: 256,
  iterations: 100,
  backend: 'auto',
};

function wholeNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

/** The stylize settings, each checked; an out-of-range value falls back to its default. */
export function readStylizeDefaults(): StylizeDefaults {
  const config = vscode.workspace.getConfiguration('impasto');
  // 'wasm' (tfjs's, before ONNX Runtime's WebAssembly replaced it) keeps meaning WebAssembly.
  const setting = config.get<string>('backend');
  const backend = setting === 'wasm' ? 'ort-wasm' : setting;
  return {
    size: wholeNumber(config.get('defaultSize'), 16, 4096, SETTING_DEFAULTS.size),
    iterations: wholeNumber(config.get('iterations'), 1, 2000, SETTING_DEFAULTS.iterations),
    backend: (BACKEND_SETTINGS as readonly string[]).includes(backend ?? '')
      ? (backend as BackendSetting)
      : SETTING_DEFAULTS.backend,
  };
}

export function readWeightsPathSetting(): string {
  return (vscode.workspace.getConfiguration('impasto').get<string>('weightsPath') ?? '').trim();
}
