/** The UI's settings, kept between runs in figma.clientStorage (per user, per machine). */
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
