import { beforeEach, describe, expect, it } from 'vitest';
import { FakeFigma, type FakeLayer, FakeRectangle } from '../testing/fake-figma.js';
import { solidJpeg, solidPng } from '../testing/png-fixtures.js';
import { startSandbox, UI_SIZE } from './controller.js';
import { PLACEMENT_GAP } from './place.js';
import { pngSize } from './png.js';
import { NOTHING_SELECTED } from './selection.js';
import { SETTINGS_KEY } from './settings-store.js';

let figma: FakeFigma;
let hero: FakeLayer;

beforeEach(() => {
  figma = new FakeFigma();
  hero = figma.add('Hero', 'FRAME', { x: 100, y: 50, width: 1600, height: 900 });
  startSandbox(figma, '<p>ui</p>');
});

const lastToUi = () => figma.toUi.at(-1);
const exported = () => figma.toUi.filter((m) => 'png' in m);

/** A failed request: one error notification, a `failed` reply with the same text, the document unchanged. */
async function expectFailure(act: () => Promise<void>, message: RegExp) {
  const before = figma.snapshot();
  const notified = figma.notifications.length;
  await act();
  expect(figma.errors().slice(notified)).toEqual([expect.stringMatching(message)]);
  expect(lastToUi()).toEqual({ failed: 7, message: figma.errors().at(-1) });
  expect(figma.snapshot()).toEqual(before);
}

describe('the sandbox starting', () => {
  it('shows the UI with Figma’s theme colours', () => {
    expect(figma.shownUi).toEqual({ html: '<p>ui</p>', options: { ...UI_SIZE, themeColors: true, title: 'Impasto' } });
  });

  it('answers ready with no settings (first run) and the selection', async () => {
    await figma.send({ type: 'ready' });
    expect(figma.toUi).toEqual([
      { type: 'init', settings: null, weightsUrl: null },
      { type: 'selection', selection: { kind: 'empty', message: NOTHING_SELECTED } },
    ]);
  });

  it('tells the UI about each selection change', async () => {
    const swirl = figma.add('Swirl', 'RECTANGLE', { x: 0, y: 0, width: 64, height: 64 });
    figma.select(hero);
    figma.select(hero, swirl);
    figma.select();
    expect(figma.toUi.map((m) => (m.type === 'selection' ? (m.selection as { kind: string }).kind : m.type))).toEqual([
      'ready',
      'ready',
      'empty',
    ]);
    expect(figma.toUi[1]).toMatchObject({ selection: { content: { id: hero.id }, style: { id: swirl.id } } });
  });
});

describe('settings', () => {
  it('persist through figma.clientStorage from one run to the next', async () => {
    const settings = { size: 256, iterations: 40, strength: 70, optimizer: 'adam', seed: 3, backend: 'webgl' };
    await figma.send({ type: 'save-settings', settings });
    expect(figma.storage.get(SETTINGS_KEY)).toEqual(settings);

    // The next run of the plugin on the same machine.
    const next = new FakeFigma();
    for (const [k, v] of figma.storage) next.storage.set(k, v);
    startSandbox(next, '');
    await next.send({ type: 'ready' });
    expect(next.toUi[0]).toEqual({ type: 'init', settings, weightsUrl: null });
  });

  it('keep the weights URL the UI set, and give it back at the next start', async () => {
    await figma.send({ type: 'save-weights-url', url: 'https://cdn.example.com/vgg19/' });
    await figma.send({ type: 'ready' });
    expect(figma.toUi[0]).toEqual({ type: 'init', settings: null, weightsUrl: 'https://cdn.example.com/vgg19/' });
    await figma.send({ type: 'save-weights-url', url: '' }); // back to the build's default
    await figma.send({ type: 'ready' });
    expect(figma.toUi.filter((m) => m.type === 'init').at(-1)).toEqual({
      type: 'init',
      settings: null,
      weightsUrl: null,
    });
  });

  it('ignore a stored value that is not a settings object', async () => {
    figma.storage.set(SETTINGS_KEY, 'corrupt');
    await figma.send({ type: 'ready' });
    expect(figma.toUi[0]).toEqual({ type: 'init', settings: null, weightsUrl: null });
    expect(figma.errors()).toEqual([]);
  });

  it('that cannot be read fall back to the defaults, saying so', async () => {
    figma.failures.storageGet = new Error('storage unavailable');
    await figma.send({ type: 'ready' });
    expect(figma.toUi[0]).toEqual({ type: 'init', settings: null, weightsUrl: null });
    expect(figma.errors()).toEqual(['Could not read the saved settings (storage unavailable); using the defaults']);
  });

  it('that cannot be saved are reported', async () => {
    figma.failures.storageSet = new Error('quota exceeded');
    await figma.send({ type: 'save-settings', settings: { size: 128 } });
    expect(figma.errors()).toEqual(['Could not save the settings: quota exceeded']);
    expect(figma.storage.has(SETTINGS_KEY)).toBe(false);
  });
});

describe('exporting a layer', () => {
  it('exports a large layer scaled so its long side is the chosen size, with its real pixel size', async () => {
    figma.select(hero);
    await figma.send({ type: 'export', requestId: 1, nodeId: hero.id, role: 'content', size: 512 });
    // 1600 × 900 at 512: scale 0.32 → 512 × 288.
    expect(hero.exportCalls).toEqual([
      { format: 'PNG', constraint: { type: 'SCALE', value: 0.32 }, useAbsoluteBounds: true },
    ]);
    const [reply] = exported();
    expect(reply).toMatchObject({
      reply: 1,
      role: 'content',
      node: { id: hero.id, name: 'Hero' },
      width: 512,
      height: 288,
    });
    expect(pngSize((reply as { png: Uint8Array }).png)).toEqual({ width: 512, height: 288 });
  });

  it('keeps a huge layer within Figma’s 4096 px limit', async () => {
    const poster = figma.add('Poster', 'FRAME', { x: 0, y: 0, width: 20000, height: 5000 });
    await figma.send({ type: 'export', requestId: 2, nodeId: poster.id, role: 'content', size: 10000 });
    expect(exported()[0]).toMatchObject({ width: 4096, height: 1024 });
  });

  it('exports the other selected layer as the style', async () => {
    const swirl = figma.add('Swirl', 'ELLIPSE', { x: 0, y: 0, width: 300, height: 300 });
    figma.select(hero, swirl);
    await figma.send({ type: 'export', requestId: 3, nodeId: swirl.id, role: 'style', size: 256 });
    expect(exported()[0]).toMatchObject({ role: 'style', node: { name: 'Swirl' }, width: 256, height: 256 });
  });

  it('fails cleanly when the layer was deleted meanwhile', async () => {
    figma.deleteLayer(hero);
    await expectFailure(
      () => figma.send({ type: 'export', requestId: 7, nodeId: hero.id, role: 'content', size: 512 }),
      /^The selected layer no longer exists$/,
    );
  });

  it('fails cleanly for an unsupported layer', async () => {
    const slice = figma.add('Area', 'SLICE', { x: 0, y: 0, width: 100, height: 100 });
    await expectFailure(
      () => figma.send({ type: 'export', requestId: 7, nodeId: slice.id, role: 'content', size: 512 }),
      /^"Area" is a slice/,
    );
    expect(slice.exportCalls).toEqual([]);
  });

  it('fails cleanly for a layer too thin to stylize, before exporting', async () => {
    const rule = figma.add('Rule', 'RECTANGLE', { x: 0, y: 0, width: 4000, height: 20 });
    await expectFailure(
      () => figma.send({ type: 'export', requestId: 7, nodeId: rule.id, role: 'content', size: 512 }),
      /^"Rule" is too small or too thin to stylize: 4000 × 20 exports as 512 × 3 px/,
    );
    expect(rule.exportCalls).toEqual([]);
  });

  it('reports Figma’s own export failure', async () => {
    hero.exportError = new Error('Render timed out');
    await expectFailure(
      () => figma.send({ type: 'export', requestId: 7, nodeId: hero.id, role: 'content', size: 512 }),
      /^Figma could not export "Hero": Render timed out$/,
    );
  });
});

describe('placing the result', () => {
  const place = async (png: Uint8Array, originalId = hero.id) =>
    figma.send({ type: 'place', requestId: 7, originalId, png });

  it('adds a rectangle of the original’s size beside it, filled with the image, named, selected and in view', async () => {
    const before = { ...hero.absoluteBoundingBox, name: hero.name, fills: 'none' };
    const png = await solidPng(512, 288);
    await place(png);

    const rect = figma.layers.at(-1) as FakeRectangle;
    expect(rect).toBeInstanceOf(FakeRectangle);
    expect(figma.layers).toEqual([hero, rect]);
    expect(rect.name).toBe('Hero (Impasto)');
    expect([rect.x, rect.y, rect.width, rect.height]).toEqual([100 + 1600 + PLACEMENT_GAP, 50, 1600, 900]);
    expect(rect.fills).toEqual([{ type: 'IMAGE', imageHash: 'hash-1', scaleMode: 'FILL' }]);
    expect(figma.images.get('hash-1')).toBe(png);
    expect(figma.currentPage.selection).toEqual([rect]);
    expect(figma.scrolledTo).toEqual([[rect]]);
    expect(lastToUi()).toEqual({ reply: 7, nodeId: rect.id, name: 'Hero (Impasto)' });
    expect(figma.notifications).toEqual([{ message: 'Placed "Hero (Impasto)" beside "Hero"', error: false }]);
    // The original is untouched.
    expect({ ...hero.absoluteBoundingBox, name: hero.name, fills: 'none' }).toEqual(before);
    expect(hero.exportCalls).toEqual([]);
  });

  it('accepts a result whose sides were rounded', async () => {
    // 1600 × 900 at 37 px wide is 20.8 px high: 37 × 21 is the same picture.
    await place(await solidPng(37, 21));
    expect(lastToUi()).toMatchObject({ reply: 7, name: 'Hero (Impasto)' });
  });

  it('refuses bytes that are not a PNG, creating nothing', async () => {
    const jpeg = await solidJpeg(512, 288);
    await expectFailure(() => place(jpeg), /^Could not place the result: the image is not a PNG$/);
    expect(figma.images.size).toBe(0);
  });

  it('refuses an image Figma could not take (over 4096 px)', async () => {
    const big = await solidPng(4097, 2305);
    await expectFailure(() => place(big), /Figma takes images up to 4096 px/);
  });

  it('refuses a result with other proportions than the original', async () => {
    const square = await solidPng(300, 300);
    await expectFailure(() => place(square), /does not have the proportions of "Hero"; it was not placed/);
  });

  it('refuses when the original was deleted meanwhile', async () => {
    const png = await solidPng(512, 288);
    figma.deleteLayer(hero);
    await expectFailure(() => place(png), /^Could not place the result: the selected layer no longer exists$/);
  });

  it.each(['createImage', 'resize', 'fills', 'scroll'] as const)(
    'leaves nothing behind when Figma’s %s call fails',
    async (call) => {
      const png = await solidPng(512, 288);
      figma.select(hero);
      figma.failures[call] = new Error(`${call} broke`);
      await expectFailure(() => place(png), new RegExp(`^Could not place the result: ${call} broke$`));
      expect(figma.currentPage.selection).toEqual([hero]);
    },
  );
});

describe('other messages', () => {
  it('shows the UI’s messages in Figma', async () => {
    await figma.send({ type: 'notify', message: 'WebGPU failed; running on WebGL', error: false });
    await figma.send({ type: 'notify', message: 'The graphics card ran out of memory', error: true });
    expect(figma.notifications).toEqual([
      { message: 'WebGPU failed; running on WebGL', error: false },
      { message: 'The graphics card ran out of memory', error: true },
    ]);
  });

  it('reports malformed and unknown messages instead of acting on them', async () => {
    await figma.send({ type: 'export', requestId: 1, nodeId: hero.id, role: 'content' });
    await figma.send({ type: 'place', requestId: 1, originalId: hero.id, png: [1, 2, 3] });
    await figma.send({ type: 'delete-everything' });
    await figma.send('hello');
    await figma.send({ channel: 'impasto-figma', version: 0, kind: 'event', type: 'ready' });
    expect(figma.errors()).toEqual([
      'The plugin window sent a malformed export request',
      'The plugin window sent a malformed place request',
      'The plugin window sent an unknown event delete-everything',
      'The plugin window sent not a message of the impasto-figma channel',
      'The plugin window sent a message of protocol version 0 on the impasto-figma channel; this side speaks version 1',
    ]);
    expect(hero.exportCalls).toEqual([]);
    // Each was answered with why (the requests by their id), except the data that is no message of the plugin's.
    expect(figma.toUi).toEqual([
      { rejected: 'malformed', id: 1 },
      { rejected: 'malformed', id: 1 },
      { rejected: 'unknown-type' },
      { rejected: 'wrong-version' },
    ]);
  });
});
