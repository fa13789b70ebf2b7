// Lists product functions longer than the limit (default 100 lines) and exits non-zero if any.
// Product code: .ts files outside tests, e2e/, testing/ folders, node_modules and build output.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const limit = Number(process.argv[2] ?? 100);
const skipDirs = new Set(['node_modules', 'dist', 'e2e', 'testing', '.turbo', 'out']);

function* productFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* productFiles(path);
    else if (/\.tsx?$/.test(name) && !/\.(test|d)\.tsx?$/.test(name) && !name.startsWith('vitest.config')) yield path;
  }
}

function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

const long: string[] = [];
for (const dir of ['packages', 'models', 'scripts']) {
  for (const file of productFiles(join(root, dir))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > limit) long.push(`${relative(root, file)}:${start + 1} ${functionName(node)} ${lines} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
}
for (const line of long) console.log(line);
console.log(`${long.length} product function(s) over ${limit} lines`);
process.exitCode = long.length > 0 ? 1 : 0;
