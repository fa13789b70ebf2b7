/**
 * Where the panel's settings start: what the visitor used last time (localStorage), then anything the page's
 * address names (?size=256&iterations=50&start=noise&backend=webgl — for sharing a set-up, and for the browser tests).
 */
import { type PanelSettings, sanitizeSettings } from '@impasto/ui';

export const SETTINGS_KEY = 'impasto.web-demo.settings';

const QUERY_KEYS = ['size', 'iterations', 'strength', 'optimizer', 'start', 'seed', 'backend'] as const;
const NUMERIC = new Set<string>(['size', 'iterations', 'strength', 'seed']);

export interface InitialSettings {
  readonly settings: PanelSettings;
  /** Query parameters that were not used, as `name=value`, so the page can say so. */
  readonly ignored: readonly string[];
  /** Numbers out of range, brought into it: `name=value` and the value used instead. */
  readonly adjusted: readonly { readonly given: string; readonly used: number }[];
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
  const adjusted: { given: string; used: number }[] = [];
  for (const [key, raw] of new URLSearchParams(search)) {
    const known = (QUERY_KEYS as readonly string[]).includes(key) ? (key as (typeof QUERY_KEYS)[number]) : undefined;
    const value = known && queryValue(known, raw);
    if (known && value !== undefined) {
      fromQuery[known] = value;
      if (typeof value === 'number' && value !== Number(raw)) adjusted.push({ given: `${key}=${raw}`, used: value });
    } else ignored.push(`${key}=${raw}`);
  }
  const base = typeof stored === 'object' && stored ? stored : {};
  return { settings: sanitizeSettings({ ...sanitizeSettings(base), ...fromQuery }), ignored, adjusted };
}

/** What the page says about the address's settings it could not use as given; '' when all were used. */
export function addressNotice({ ignored, adjusted }: Pick<InitialSettings, 'ignored' | 'adjusted'>): string {
  const parts = [
    ...adjusted.map((a) => `${a.given} is out of range, so ${a.used} is used`),
    ...(ignored.length > 0 ? [`ignored ${ignored.join(', ')}`] : []),
  ];
  return parts.length > 0 ? `From the address: ${parts.join('; ')}.` : '';
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
