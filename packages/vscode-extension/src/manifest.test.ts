/** package.json's contributions: menus only for images, every command registered, setting defaults in sync. */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_STYLIZE, PREVIEW_VIEW_TYPE } from './commands.js';
import { SETTING_DEFAULTS } from './config.js';
import { activate } from './extension.js';
import { EXTENSION, STORAGE } from './test/fixtures.js';
import { fake, resetFake } from './test/vscode-fake.js';

interface MenuItem {
  command: string;
  when?: string;
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const menus: Record<string, MenuItem[]> = manifest.contributes.menus;

type Context = Record<string, string | boolean>;

/**
 * Evaluates the when-clause forms the manifest uses: `a && b`, `!key`, `key`, `key =~ /re/flags`, `key != value`,
 * `key == value` (VS Code's grammar, reduced to what we need; anything else fails the test).
 */
function when(clause: string | undefined, context: Context): boolean {
  if (!clause) return true;
  return clause.split('&&').every((raw) => {
    const term = raw.trim();
    let m = /^(\w+)\s*=~\s*\/(.*)\/(\w*)$/.exec(term);
    if (m) return new RegExp(m[2] ?? '', m[3]).test(String(context[m[1] ?? ''] ?? ''));
    m = /^(\w+)\s*(==|!=)\s*(\S+)$/.exec(term);
    if (m) return (String(context[m[1] ?? ''] ?? '') === m[3]) === (m[2] === '==');
    m = /^(!?)(\w+)$/.exec(term);
    if (m) return !!context[m[2] ?? ''] !== (m[1] === '!');
    throw new Error(`unsupported when clause term: ${term}`);
  });
}

const stylizeWhen = (menu: string) => menus[menu]?.find((i) => i.command === COMMAND_STYLIZE)?.when;

describe('the menu when clauses', () => {
  const images = ['.png', '.jpg', '.jpeg', '.webp', '.PNG', '.JPG', '.Jpeg', '.WEBP'];
  const others = ['.gif', '.svg', '.txt', '.ts', '', '.jpgx', '.xpng', '.jp'];

  it('shows Stylize in the Explorer context menu for image files only', () => {
    const clause = stylizeWhen('explorer/context');
    for (const ext of images) expect(when(clause, { resourceExtname: ext }), ext).toBe(true);
    for (const ext of others) expect(when(clause, { resourceExtname: ext }), ext).toBe(false);
    expect(when(clause, { resourceExtname: '.png', explorerResourceIsFolder: true }), 'a folder named x.png').toBe(
      false,
    );
  });

  it('offers Import Weights Folder on folders in the Explorer, not on files', () => {
    const clause = menus['explorer/context']?.find((i) => i.command === 'impasto.importWeights')?.when;
    expect(when(clause, { explorerResourceIsFolder: true })).toBe(true);
    expect(when(clause, { resourceExtname: '.json' })).toBe(false);
  });

  it('shows Stylize in the editor title of images, but not in Impasto Preview itself', () => {
    const clause = stylizeWhen('editor/title');
    for (const ext of images) {
      expect(when(clause, { resourceExtname: ext, activeCustomEditorId: 'imagePreview.previewEditor' })).toBe(true);
    }
    for (const ext of others) expect(when(clause, { resourceExtname: ext }), ext).toBe(false);
    expect(when(clause, { resourceExtname: '.png', activeCustomEditorId: PREVIEW_VIEW_TYPE })).toBe(false);
  });

  it('lists the commands in the palette', () => {
    expect(menus.commandPalette?.map((i) => i.command).sort()).toEqual([
      'impasto.downloadWeights',
      'impasto.importWeights',
      'impasto.stylize',
    ]);
    expect(menus.commandPalette?.every((i) => i.when === undefined)).toBe(true);
  });

  it('offers Impasto Preview under "Open With…" for the same image types, as an option only', () => {
    const [editor] = manifest.contributes.customEditors;
    expect(editor.viewType).toBe(PREVIEW_VIEW_TYPE);
    expect(editor.displayName).toBe('Impasto Preview');
    expect(editor.priority).toBe('option');
    const pattern: string = editor.selector[0].filenamePattern;
    const alternatives = /^\*\.\{(.*)\}$/.exec(pattern)?.[1]?.split(',') ?? [];
    // VS Code lower-cases the pattern and the file name before matching, so lower case covers .PNG too.
    expect(alternatives.sort()).toEqual(['jpeg', 'jpg', 'png', 'webp']);
  });
});

describe('contributions and activation agree', () => {
  beforeEach(() => resetFake());

  it('registers every contributed command and the custom editor (kept alive in the background)', () => {
    const subscriptions: { dispose(): unknown }[] = [];
    activate({ subscriptions, extensionUri: EXTENSION, globalStorageUri: STORAGE } as never);
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    expect([...fake.commands.keys()].sort()).toEqual(contributed);
    for (const items of Object.values(menus)) for (const i of items) expect(contributed).toContain(i.command);
    expect(fake.customEditors.get(PREVIEW_VIEW_TYPE)?.options).toMatchObject({
      webviewOptions: { retainContextWhenHidden: true },
    });
    expect(subscriptions).toHaveLength(4);
    for (const s of subscriptions) s.dispose();
    expect(fake.commands.size).toBe(0);
    expect(fake.customEditors.size).toBe(0);
  });

  it('declares the settings with the defaults the code falls back to', () => {
    const props = manifest.contributes.configuration.properties;
    expect(props['impasto.weightsPath'].default).toBe(SETTING_DEFAULTS.weightsPath);
    expect(props['impasto.defaultSize'].default).toBe(SETTING_DEFAULTS.size);
    expect(props['impasto.iterations'].default).toBe(SETTING_DEFAULTS.iterations);
    expect(props['impasto.backend'].default).toBe(SETTING_DEFAULTS.backend);
    expect(props['impasto.backend'].enum).toEqual(['auto', 'webgpu', 'webgl', 'ort-wasm', 'cpu']);
  });

  it('keeps the extension CommonJS and the engines field typed-array capable (≥ 1.57)', () => {
    expect(manifest.main).toMatch(/\.cjs$/);
    const [major, minor] = String(manifest.engines.vscode).replace(/^\^/, '').split('.').map(Number);
    expect((major ?? 0) * 1000 + (minor ?? 0)).toBeGreaterThanOrEqual(1057);
  });
});
