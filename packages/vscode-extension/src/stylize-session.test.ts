import { beforeEach, describe, expect, it } from 'vitest';
import { ImpastoPreviewProvider } from './preview-editor.js';
import { EXTENSION, jpegBytes, PATHS, pngBytes, putWeights, STORAGE } from './test/fixtures.js';
import { envelopeOf, type Flat, flatten } from './test/flat-messages.js';
import { FakeWebviewPanel, fake, resetFake, settle, Uri } from './test/vscode-fake.js';

const image = Uri.file('/w/img/hero.jpg');
const stored = Uri.joinPath(STORAGE, 'vgg19');
const webviewDir = Uri.joinPath(EXTENSION, 'dist', 'webview');

async function open(): Promise<FakeWebviewPanel> {
  const panel = new FakeWebviewPanel();
  const provider = new ImpastoPreviewProvider(PATHS);
  await provider.resolveCustomEditor(provider.openCustomDocument(image), panel as never);
  return panel;
}
/** What the page sent, by request id: replies name the request they answer. */
const sentByPage = new Map<unknown, string>();
/** The page posts `message` (written flat: { type, ...payload }, with `id` for a request). */
function receive(panel: FakeWebviewPanel, message: unknown) {
  const envelope = envelopeOf(message) as { kind?: string; id?: unknown; type?: string };
  if (envelope.kind === 'request') sentByPage.set(envelope.id, envelope.type ?? '');
  panel.webview.receive(envelope);
}
/** What the extension sent, flat (its hello left out). */
const posted = (panel: FakeWebviewPanel) =>
  panel.webview.posted.map((m) => flatten(m, sentByPage)).filter((m): m is Flat => m !== undefined);

describe('the Impasto Preview webview, seen from the extension', () => {
  let content: Uint8Array;
  beforeEach(async () => {
    resetFake();
    content = await jpegBytes(10, 6);
    fake.fs.put(image, content);
    putWeights(stored);
  });

  it('loads only what it needs: scripts by nonce, resources from the webview folder and the weights', async () => {
    const panel = await open();
    const { webview } = panel;
    expect(webview.options.enableScripts).toBe(true);
    expect(webview.options.localResourceRoots?.map((u) => u.path)).toEqual([webviewDir.path, stored.path]);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(webview.html)?.[1] ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/'unsafe-eval'/);
    expect(csp).toContain(`connect-src ${webview.cspSource}`);
    const scripts = [...webview.html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual([
      `<script type="module" nonce="${nonce}" src="https://file+.vscode-resource.fake${webviewDir.path}/webview.js">`,
    ]);
    // A fresh nonce per page.
    expect((await open()).webview.html).not.toContain(nonce);
  });

  it('answers ready with the image bytes, URLs the webview can load, the settings and the save name', async () => {
    fake.settings.set('impasto.defaultSize', 64);
    fake.settings.set('impasto.iterations', 5000);
    fake.settings.set('impasto.backend', 'wasm'); // an older version's WebAssembly: now ONNX Runtime's
    const panel = await open();
    receive(panel, { type: 'ready', id: 1 });
    await settle();
    const [init] = posted(panel);
    expect(init).toEqual({
      reply: 'ready',
      id: 1,
      content: { name: 'hero.jpg', bytes: content },
      weightsUrl: `https://file+.vscode-resource.fake${stored.path}/`,
      wasmUrl: `https://file+.vscode-resource.fake${webviewDir.path}/wasm/`,
      examples: ['Swirls swirls.jpg', 'Embers embers.jpg', 'Waves waves.jpg'].map((s) => {
        const [name, file] = s.split(' ');
        return { name, url: `https://file+.vscode-resource.fake${webviewDir.path}/examples/${file}` };
      }),
      defaults: { size: 64, iterations: 100, backend: 'ort-wasm' },
      saveName: 'hero.impasto.png',
    });
  });

  it('shows the weights download as a progress notification until the engine is ready', async () => {
    const panel = await open();
    receive(panel, { type: 'weightsProgress', loaded: 0, total: 4e6 });
    receive(panel, { type: 'weightsProgress', loaded: 1e6, total: 4e6 });
    receive(panel, { type: 'weightsProgress', loaded: 4e6, total: 4e6 });
    receive(panel, { type: 'weightsLoaded' });
    receive(panel, { type: 'weightsProgress', loaded: 4e6, total: 4e6 });
    await settle();
    expect(fake.progress).toEqual([
      {
        title: 'Impasto: loading the VGG19 weights',
        cancellable: false,
        cancel: expect.any(Function),
        reports: [
          { increment: 0, message: '0.0 of 4.0 MB' },
          { increment: 25, message: '1.0 of 4.0 MB' },
          { increment: 75, message: '4.0 of 4.0 MB' },
        ],
      },
    ]);
  });

  it('saves the result beside the image, replies, and opens it', async () => {
    const panel = await open();
    const png = await pngBytes(10, 6);
    receive(panel, { type: 'save', id: 7, png, width: 10, height: 6 });
    await settle();
    const saved = Uri.file('/w/img/hero.impasto.png');
    expect(fake.fs.get(saved)).toEqual(png);
    expect(posted(panel)).toEqual([{ reply: 'save', id: 7, outcome: 'saved', message: 'Saved hero.impasto.png' }]);
    expect(fake.executed).toEqual([{ command: 'vscode.open', args: [saved] }]);
  });

  it('replies failed, shows the error and writes nothing when the folder is read-only', async () => {
    fake.fs.readOnlyFolders.add('/w/img');
    const panel = await open();
    receive(panel, { type: 'save', id: 1, png: await pngBytes(10, 6), width: 10, height: 6 });
    await settle();
    const message =
      'Cannot save hero.impasto.png beside hero.jpg: permission denied (the location is read-only or not yours)';
    expect(posted(panel)).toEqual([{ reply: 'save', id: 1, outcome: 'failed', message }]);
    expect(fake.messages.map((m) => [m.level, m.message])).toEqual([['error', message]]);
    expect(fake.fs.filesUnder(Uri.file('/w/img'))).toEqual([image.path]);
  });

  it('sends a style image picked in the file dialog; refuses one that is not an image', async () => {
    const style = Uri.file('/w/styles/starry.png');
    const styleBytes = await pngBytes(4, 4);
    fake.fs.put(style, styleBytes);
    fake.fs.put(Uri.file('/w/styles/readme.md'), '#');
    fake.openDialogResults.push([style], [Uri.file('/w/styles/readme.md')], undefined);
    const panel = await open();
    for (let i = 0; i < 3; i++) receive(panel, { type: 'pickStyle' });
    await settle();
    expect(posted(panel)).toEqual([{ type: 'style', name: 'starry.png', bytes: styleBytes }]);
    expect(fake.openDialogs[0]?.defaultUri?.path).toBe('/w/img/');
    expect(fake.messages.map((m) => m.message)).toEqual([
      'readme.md is not an image Impasto can stylize (.png, .jpg, .jpeg, .webp)',
    ]);
  });

  it('shows webview errors (e.g. a failed GPU) as VS Code messages and refuses malformed messages', async () => {
    const panel = await open();
    receive(panel, { type: 'error', message: 'webgpu: device lost' });
    receive(panel, { type: 'save', id: 1, png: 'not bytes', width: 1, height: 1 });
    receive(panel, { type: 'runShell', command: 'rm -rf /' });
    receive(panel, { channel: 'impasto-vscode', version: 2, kind: 'event', type: 'pickStyle' });
    receive(panel, { type: 'save', png: [1], width: 1, height: 1 });
    await settle();
    expect(fake.messages.map((m) => [m.level, m.message])).toEqual([['error', 'Impasto: webgpu: device lost']]);
    // Each refused with why: the malformed save, the unknown type, another protocol version.
    expect(posted(panel)).toEqual([
      { rejected: 'malformed' },
      { rejected: 'unknown-type' },
      { rejected: 'wrong-version' },
      { rejected: 'malformed' },
    ]);
    expect(fake.openDialogs).toEqual([]);
    expect(fake.fs.log.filter((l) => l.op !== 'readFile' && l.op !== 'stat')).toEqual([]);
  });

  it('stops listening once the panel closes', async () => {
    const panel = await open();
    panel.dispose();
    receive(panel, { type: 'ready' });
    receive(panel, { type: 'weightsProgress', loaded: 1, total: 2 });
    await settle();
    expect(posted(panel)).toEqual([]);
    expect(fake.progress).toEqual([]);
  });

  it('shows a script-free notice and a message with what to run when the weights are missing', async () => {
    await fake.fs.delete(stored, { recursive: true });
    const panel = await open();
    expect(panel.webview.options.enableScripts).toBe(false);
    expect(panel.webview.html).not.toContain('<script');
    expect(panel.webview.html).toContain('The VGG19 weights are missing');
    expect(fake.messages[0]?.message).toContain('pnpm models:fetch');
  });

  it('shows a notice when the image cannot be read', async () => {
    fake.fs.unreadableFiles.add(image.path);
    const panel = await open();
    expect(panel.webview.options.enableScripts).toBe(false);
    expect(panel.webview.html).toContain('Cannot read hero.jpg: permission denied');
  });
});
