/**
 * Where the panel's settings start: what the visitor used last time (localStorage), then anything the page's
 * address names (?size=256&iterations=50&backend=webgl — for sharing a set-up, and for the browser tests).
 */
import { type PanelSettings, sanitizeSettings } from '@impasto/ui';

export const SETTINGS_KEY = 'impasto.web-demo.settings';

const QUERY_KEYS = ['size', 'iterations', 'strength', 'optimizer', 'seed', 'backend'] as const;
const NUMERIC = new Set<string>(['size', 'iterations', 'strength', 'seed']);

export interface InitialSettings {
  readonly settings: PanelSettings;
  /** Query parameters that were not used, as `name=value`, so the page can say so. */
  readonly ignored: readonly string[];
}

/** One query value as a setting, or undefined when it is not a valid value for that setting. */
function queryValue(key: (typeof QUERY_KEYS)[number], raw: string): number | string | undefined {
  const value = NUMERIC.has(key) ? Number(raw) : raw;
  if (NUMERIC.has(key) && (raw.trim() === '' || !Number.isFinite(value))) return undefined;
  // sanitizeSettings clamps numbers into range and replaces unknown names; an unknown name is refused here.
  const sanitized = sanitizeSettings({ [key]: value })[key];
  return NUMERIC.has(key) || sanitized === value ? sanitized : undefined;
}

export function initialSettings(stored: unknown, search: string): InitialSettings {
  const fromQuery: Record<string, number | string> = {};
  const ignored: string[] = [];
  for (const [key, raw] of new URLSearchParams(search)) {
    const known = (QUERY_KEYS as readonly string[]).includes(key) ? (key as (typeof QUERY_KEYS)[number]) : undefined;
    const value = known && queryValue(known, raw);
    if (known && value !== undefined) fromQuery[known] = value;
    else ignored.push(`${key}=${raw}`);
  }
  const base = typeof stored === 'object' && stored ? stored : {};
  return { settings: sanitizeSettings({ ...sanitizeSettings(base), ...fromQuery }), ignored };
}

/** The stored settings as parsed JSON, or undefined when there are none or they cannot be read. */
export function loadStoredSettings(storage: Pick<Storage, 'getItem'> | undefined): unknown {
  try {
    const text = storage?.getItem(SETTINGS_KEY);
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // storage disabled, or hand-edited into invalid JSON: start from the defaults
  }
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: PanelSettings): void {
  try {
    storage?.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // full or disabled storage: the settings simply are not remembered
  }
}
