/** Paths the models commands are given are relative to where the user typed the command. */
import { resolve } from 'node:path';

/** pnpm runs root scripts in the repository root; INIT_CWD is where the user typed the command. */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD || process.cwd(), path);
}
