import { beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_IMPORT_WEIGHTS, COMMAND_STYLIZE, PREVIEW_VIEW_TYPE } from './commands.js';
import { activate } from './extension.js';
import { ImpastoPreviewProvider } from './preview-editor.js';
import { jpegBytes, PATHS, putWeights, STORAGE } from './test/fixtures.js';
import { FakeWebviewPanel, fake, resetFake, settle, Uri } from './test/vscode-fake.js';

const image = Uri.file('/w/hero.jpg');
const stored = Uri.joinPath(STORAGE, 'vgg19');

function start() {
  resetFake();
  activate({ subscriptions: [], ...PATHS } as never);
}
const run = (command: string, ...args: unknown[]) => fake.commands.get(command)?.(...args);
const openedWith = () => fake.executed.filter((e) => e.command === 'vscode.openWith').map((e) => e.args);

describe('Stylize with Impasto…', () => {
  beforeEach(async () => {
    start();
    fake.fs.put(image, await jpegBytes(8, 6));
    putWeights(stored);
  });

  it('opens the clicked image in Impasto Preview', async () => {
    await run(COMMAND_STYLIZE, image);
    expect(openedWith()).toEqual([[image, PREVIEW_VIEW_TYPE]]);
    expect(fake.messages).toEqual([]);
  });

  it('reads the image and checks the weights once, handing both to the preview it opens', async () => {
    const provider = new ImpastoPreviewProvider(PATHS);
    const panel = new FakeWebviewPanel();
    fake.commands.set('vscode.openWith', (uri: unknown) =>
      provider.resolveCustomEditor(provider.openCustomDocument(uri as Uri), panel as never),
    );
    await run(COMMAND_STYLIZE, image);
    expect(panel.webview.options.enableScripts).toBe(true); // the preview opened on the image
    const imageReads = fake.fs.log.filter((l) => l.path === image.path && l.op === 'readFile');
    const weightsChecks = fake.fs.log.filter((l) => l.path.endsWith('/weights_manifest.json'));
    expect([imageReads.length, weightsChecks.length]).toEqual([1, 1]);
  });

  it('from the palette, uses the image in the active tab', async () => {
    fake.activeTabInput = { uri: image };
    await run(COMMAND_STYLIZE);
    expect(openedWith()).toEqual([[image, PREVIEW_VIEW_TYPE]]);
    expect(fake.openDialogs).toEqual([]);
  });

  it('from the palette without an image tab, asks for a file (and does nothing when cancelled)', async () => {
    fake.activeTabInput = { uri: Uri.file('/w/notes.md') };
    fake.openDialogResults.push(undefined, [image]);
    await run(COMMAND_STYLIZE);
    expect(openedWith()).toEqual([]);
    await run(COMMAND_STYLIZE);
    expect(openedWith()).toEqual([[image, PREVIEW_VIEW_TYPE]]);
    expect(fake.openDialogs[0]?.filters).toEqual({ Images: ['png', 'jpg', 'jpeg', 'webp'] });
  });

  it('refuses a file that is not an image, by name or by content', async () => {
    fake.fs.put(Uri.file('/w/notes.txt'), 'hello');
    fake.fs.put(Uri.file('/w/fake.png'), 'not really a png');
    await run(COMMAND_STYLIZE, Uri.file('/w/notes.txt'));
    await run(COMMAND_STYLIZE, Uri.file('/w/fake.png'));
    expect(fake.messages.map((m) => [m.level, m.message])).toEqual([
      ['error', 'notes.txt is not an image Impasto can stylize (.png, .jpg, .jpeg, .webp)'],
      ['error', 'fake.png does not hold a PNG, JPEG or WebP image (16 bytes)'],
    ]);
    expect(openedWith()).toEqual([]);
  });

  it('says why an image cannot be read', async () => {
    fake.fs.unreadableFiles.add(image.path);
    await run(COMMAND_STYLIZE, image);
    await run(COMMAND_STYLIZE, Uri.file('/w/gone.png'));
    expect(fake.messages.map((m) => m.message)).toEqual([
      'Cannot read hero.jpg: permission denied (the location is read-only or not yours)',
      'Cannot read gone.png: it does not exist',
    ]);
    expect(openedWith()).toEqual([]);
  });

  it('says how to get the weights when they are missing, and runs the import the user picks', async () => {
    await fake.fs.delete(stored, { recursive: true });
    fake.answer = (m) => (m.level === 'error' ? 'Import Weights Folder…' : undefined);
    await run(COMMAND_STYLIZE, image);
    await settle();
    expect(openedWith()).toEqual([]);
    const [message] = fake.messages;
    expect(message?.message).toContain('pnpm models:fetch');
    expect(message?.message).toContain(stored.fsPath);
    expect(message?.items).toEqual(['Download Weights', 'Import Weights Folder…', 'Open Settings']);
    expect(fake.executed.map((e) => e.command)).toContain(COMMAND_IMPORT_WEIGHTS);
    expect(fake.openDialogs.at(-1)?.canSelectFolders).toBe(true);
  });
});

describe('Import Weights Folder…', () => {
  beforeEach(() => start());

  it('copies the picked folder into storage with a progress notification', async () => {
    const source = Uri.file('/checkout/models/vgg19');
    putWeights(source);
    fake.openDialogResults.push([source]);
    await run(COMMAND_IMPORT_WEIGHTS);
    expect(fake.fs.filesUnder(stored)).toHaveLength(3);
    expect(fake.progress.map((p) => [p.title, p.reports.length])).toEqual([['Impasto: importing the weights', 3]]);
    expect(fake.progress[0]?.reports.reduce((sum, r) => sum + (r.increment ?? 0), 0)).toBeCloseTo(100);
    expect(fake.messages.map((m) => [m.level, m.message])).toEqual([
      ['info', `Impasto: weights imported into ${stored.fsPath}.`],
    ]);
  });

  it('imports the folder it was run on from the Explorer, without a dialog', async () => {
    const source = Uri.file('/checkout/models/vgg19');
    putWeights(source, 'bare');
    await run(COMMAND_IMPORT_WEIGHTS, source);
    expect(fake.openDialogs).toEqual([]);
    expect(fake.fs.filesUnder(stored)).toHaveLength(3);
  });

  it('shows the reason when the folder is not a weights folder', async () => {
    fake.openDialogResults.push([Uri.file('/empty')]);
    await run(COMMAND_IMPORT_WEIGHTS);
    expect(fake.messages.map((m) => [m.level, m.message])).toEqual([
      [
        'error',
        'Could not import the weights from /empty: weights manifest not found: /empty/weights_manifest.json. Pick the folder that `pnpm models:fetch` writes (models/vgg19), or run "Impasto: Download VGG19 Weights".',
      ],
    ]);
  });
});
