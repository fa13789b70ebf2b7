/**
 * The one argv parser of Impasto's command lines: a table of options gives both the parsing (node:util's
 * parseArgs, strict) and the usage text, so an option's name, value and default are written once.
 */
import { parseArgs } from 'node:util';
import { messageOf } from '@impasto/errors';

export interface OptionSpec {
  /** The long name, without dashes. */
  readonly name: string;
  readonly short?: string;
  /** The value's placeholder in the usage ("N", "FILE"); absent: a flag. */
  readonly value?: string;
  readonly multiple?: boolean;
  /** The usage text: one string per line. */
  readonly help: string | readonly string[];
  /** Shown in brackets after the help; a function reads it from where the default lives. */
  readonly default?: string | (() => string);
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** The parsed options by long name (strings, booleans for flags, arrays where `multiple`), and the positionals. */
export function parseCommandLine(argv: readonly string[], table: readonly OptionSpec[]) {
  const options = Object.fromEntries(
    table.map((o) => [
      o.name,
      { type: o.value ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}), multiple: o.multiple ?? false },
    ]),
  ) as Record<string, { type: 'string' | 'boolean'; short?: string; multiple: boolean }>;
  // pnpm may pass a lone `--` through to the script.
  const args = argv.filter((a, i) => a !== '--' || i > 0);
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (e) {
    // node:util's advice about `--` does not apply to these commands.
    throw new Error(messageOf(e).replace(/\. To specify.*$/s, ''));
  }
}

const NAME_COLUMN = 27;
const DEFAULT_COLUMN = 88;

/** The options part of a usage text: names, help, and each default in brackets at the end of its last line. */
export function optionsUsage(table: readonly OptionSpec[]): string {
  return table.map(optionUsage).join('\n');
}

function optionUsage(o: OptionSpec): string {
  const names = `  ${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
  const help = typeof o.help === 'string' ? [o.help] : [...o.help];
  const fallback = typeof o.default === 'function' ? o.default() : o.default;
  const lead = (i: number) =>
    i > 0 ? ''.padEnd(NAME_COLUMN) : names.length < NAME_COLUMN - 1 ? names.padEnd(NAME_COLUMN) : `${names}  `;
  const lines = help.map((text, i) => `${lead(i)}${text}`);
  if (fallback !== undefined) {
    const last = lines.length - 1;
    lines[last] = `${(lines[last] as string).padEnd(DEFAULT_COLUMN - 1)} [${fallback}]`;
  }
  return lines.join('\n');
}
