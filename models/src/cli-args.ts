/** Tiny argv parsing shared by the models CLIs; paths are relative to where pnpm was started. */
import { resolve } from 'node:path';

/** pnpm runs root scripts in the repository root; INIT_CWD is where the user typed the command. */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD || process.cwd(), path);
}

export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string[]>;
  readonly positional: readonly string[];
}

/** `--flag`, `--key value` (repeatable) for the keys in `withValue`, and positional arguments. */
export function parseArgs(argv: readonly string[], known: readonly string[], withValue: readonly string[]): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue; // pnpm may pass it through
    if (!arg.startsWith('--')) {
      positional.push(arg);
    } else if (withValue.includes(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      values.set(arg, [...(values.get(arg) ?? []), value]);
    } else if (known.includes(arg)) {
      flags.add(arg);
    } else {
      throw new Error(`unknown option ${arg} (known: ${[...known, ...withValue].join(', ')})`);
    }
  }
  return { flags, values, positional };
}
