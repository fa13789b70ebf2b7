/** The UI's settings and weights URL, kept between runs in figma.clientStorage (per user, per machine). */
import type { JsonObject } from '../protocol.js';
import type { SandboxFigma } from './figma-api.js';

export const SETTINGS_KEY = 'impasto.settings';

type Storage = SandboxFigma['clientStorage'];

/** The stored settings, or null when none were saved or what is stored is not a settings object. */
export async function loadSettings(storage: Storage): Promise<JsonObject | null> {
  const stored: unknown = await storage.getAsync(SETTINGS_KEY);
  return typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as JsonObject) : null;
}

export async function saveSettings(storage: Storage, settings: JsonObject): Promise<void> {
  await storage.setAsync(SETTINGS_KEY, settings);
}

export const WEIGHTS_URL_KEY = 'impasto.weightsUrl';

/** The weights URL the user set, or null (the build's default). */
export async function loadWeightsUrl(storage: Storage): Promise<string | null> {
  const stored: unknown = await storage.getAsync(WEIGHTS_URL_KEY);
  return typeof stored === 'string' && stored !== '' ? stored : null;
}

/** '' goes back to the build's default. */
export async function saveWeightsUrl(storage: Storage, url: string): Promise<void> {
  await storage.setAsync(WEIGHTS_URL_KEY, url);
}
