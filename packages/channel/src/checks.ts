/**
 * Checks for what arrives over a channel: each says whether a value has a message's shape, and narrows it. `shape`
 * asks for a check per field of the type it guards, so a field added to a message cannot go unchecked.
 */

export type Check<T> = (value: unknown) => value is T;

type Record_ = Record<string, unknown>;

const isRecord = (v: unknown): v is Record_ => typeof v === 'object' && v !== null && !Array.isArray(v);

export const is = {
  string: (v: unknown): v is string => typeof v === 'string',
  text: (v: unknown): v is string => typeof v === 'string' && v.length > 0,
  number: (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v),
  /** A whole number ≥ 0: ids, counts, sizes in pixels. */
  count: (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  boolean: (v: unknown): v is boolean => typeof v === 'boolean',
  bytes: (v: unknown): v is Uint8Array => v instanceof Uint8Array,
  /** A plain object whose fields another layer checks (settings, an engine's result). */
  record: isRecord,
  /** A message without a payload. */
  nothing: (v: unknown): v is undefined => v === undefined,
  /** Anything at all: for fields the receiver passes on without reading. */
  anything: (_v: unknown): _v is unknown => true,
  oneOf:
    <const T extends readonly (string | number | boolean | null)[]>(...values: T) =>
    (v: unknown): v is T[number] =>
      values.includes(v as T[number]),
  optional:
    <T>(check: Check<T>) =>
    (v: unknown): v is T | undefined =>
      v === undefined || check(v),
  nullable:
    <T>(check: Check<T>) =>
    (v: unknown): v is T | null =>
      v === null || check(v),
  arrayOf:
    <T>(check: Check<T>) =>
    (v: unknown): v is T[] =>
      Array.isArray(v) && v.every((item) => check(item)),
  either:
    <A, B>(a: Check<A>, b: Check<B>) =>
    (v: unknown): v is A | B =>
      a(v) || b(v),
};

/** An object with a check for each of its fields (optional ones included: their check accepts undefined). */
export function shape<T extends object>(fields: { readonly [K in keyof T]-?: (value: unknown) => boolean }): Check<T> {
  const entries = Object.entries(fields) as [string, (value: unknown) => boolean][];
  return (v: unknown): v is T => isRecord(v) && entries.every(([name, check]) => check(v[name]));
}
