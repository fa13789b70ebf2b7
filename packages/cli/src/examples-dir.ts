import { createRequire } from 'node:module';
import path from 'node:path';

/** The project's own example images (@impasto/examples), wherever the workspace installed the package. */
export const EXAMPLES_DIR = path.dirname(createRequire(import.meta.url).resolve('@impasto/examples/package.json'));
