// The engine's root keeps only its path-agnostic surface: at most 12 files (everything else lives in a room).
import { readdirSync } from 'node:fs';

const root = new URL('../packages/engine/src/', import.meta.url);
const limit = 12;
const files = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isFile());
console.log(`packages/engine/src holds ${files.length} files (at most ${limit})`);
if (files.length > limit) {
  for (const file of files) console.log(`  ${file.name}`);
  process.exitCode = 1;
}
