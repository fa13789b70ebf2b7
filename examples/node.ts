/** Where the example images are on disk, for Node tools (the CLI, build scripts). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder, which holds the files the table in index.ts names. */
export const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));

export const examplePath = (file: string): string => path.join(EXAMPLES_DIR, file);
