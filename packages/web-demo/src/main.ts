/** The demo page: the shared stylize panel in upload mode, fed by the site's own examples and weights. */
import '@impasto/engine/backends/browser'; // registers the tfjs backends this entry point may run on
import './page.css';
import { EXAMPLE_PHOTO, EXAMPLE_STYLES } from '@impasto/examples';
import { mountStylizePanel, type PanelResult } from '@impasto/ui';
import { downloadPng, resultFileName } from './download.js';
import { addressNotice, initialSettings, loadStoredSettings, saveSettings } from './settings-store.js';
import { siteWeightsLoader } from './site-weights.js';
import { weightsFromPickedFiles } from './weights-folder.js';

const SAMPLE_PHOTO = EXAMPLE_PHOTO.file;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page lacks #${id}`);
  return element as T;
}

// Every address is relative to the page, so the site works from any folder of any static host.
const site = new URL('.', location.href);
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage blocked: settings are simply not remembered
  }
})();
const fromAddress = initialSettings(loadStoredSettings(storage), location.search);
const { settings } = fromAddress;

const weightsHelp = byId<HTMLElement>('weights-help');
const folderMessage = byId<HTMLElement>('weights-folder-message');
let folderTried = false;

const panel = mountStylizePanel(byId('panel'), {
  weights: siteWeightsLoader(new URL('weights/', site).href),
  wasmPaths: new URL('wasm/', site).href,
  // A module worker: engine-worker.js is bundled as ESM beside app.js (scripts/site.ts).
  engineWorker: () => new Worker(new URL('engine-worker.js', site), { type: 'module' }),
  examples: EXAMPLE_STYLES.map((e) => ({ name: e.id, url: new URL(`examples/${e.file}`, site).href })),
  contentSource: 'upload',
  settings,
  resultActions: [
    {
      label: 'Download PNG',
      run: (r: PanelResult) => downloadPng(r.png, resultFileName(r.width, r.height)),
    },
  ],
});
panel.controller.on('settings', (e) => saveSettings(storage, e.settings));
panel.controller.on('engine-failed', ({ message }) => {
  weightsHelp.hidden = false;
  folderMessage.textContent = folderTried ? message : '';
});
const notice = addressNotice(fromAddress);
if (notice) panel.showMessage(notice);

byId<HTMLButtonElement>('sample').addEventListener('click', async () => {
  try {
    const response = await fetch(new URL(`examples/${SAMPLE_PHOTO}`, site));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    await panel.setContent(new Uint8Array(await response.arrayBuffer()), SAMPLE_PHOTO);
  } catch (e) {
    panel.showMessage(`Could not load the sample photo: ${(e as Error).message}`, 'error');
  }
});

byId<HTMLInputElement>('weights-folder').addEventListener('change', (e) => {
  const input = e.target as HTMLInputElement;
  const files = Array.from(input.files ?? []);
  input.value = '';
  if (files.length === 0) return;
  try {
    const picked = weightsFromPickedFiles(files);
    folderTried = true;
    folderMessage.textContent = '';
    weightsHelp.hidden = true;
    panel.setWeights(picked.load);
  } catch (error) {
    const text = (error as Error).message;
    folderMessage.textContent = text.charAt(0).toUpperCase() + text.slice(1);
  }
});
