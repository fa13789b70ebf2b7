/**
 * The sandbox side of the plugin: answers the UI's requests against the document. Every failure is shown with
 * figma.notify, reported to the UI as a rejected reply, and leaves the document as it was.
 */
import { messageOf } from '@impasto/errors/message';
import { connectUi } from '../protocol.js';
import { planExport } from './export-scale.js';
import type { LayerNode, ResultRectangle, SandboxFigma } from './figma-api.js';
import { placeResult } from './place.js';
import { pngSize } from './png.js';
import { describeSelection, layerBox, summarize, unsupportedReason } from './selection.js';
import { loadSettings, loadWeightsUrl, saveSettings, saveWeightsUrl } from './settings-store.js';

export const UI_SIZE = { width: 360, height: 640 };

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function startSandbox<L extends LayerNode, R extends ResultRectangle>(figma: SandboxFigma<L, R>, html: string) {
  const notifyError = (text: string) => figma.notify(sentence(text), { error: true });
  /** Shows a request's failure and rejects it with the same words. */
  const fail = (text: string): never => {
    notifyError(text);
    throw new Error(sentence(text));
  };

  /** The layer `id`, still there and still stylizable; otherwise an error saying what changed. */
  const findLayer = async (id: string): Promise<LayerNode> => {
    const node = await figma.getNodeByIdAsync(id);
    if (!node || !('exportAsync' in node)) throw new Error('the selected layer no longer exists');
    const reason = unsupportedReason(node as LayerNode);
    if (reason) throw new Error(reason);
    return node as LayerNode;
  };

  figma.showUI(html, { ...UI_SIZE, themeColors: true, title: 'Impasto' });
  const ui = connectUi(figma.ui, (error) => notifyError(`the plugin window sent ${error.message}`));
  const postSelection = () => ui.emit('selection', describeSelection(figma.currentPage.selection));
  figma.on('selectionchange', postSelection);

  ui.on('ready', async () => {
    let settings = null;
    let weightsUrl = null;
    try {
      settings = await loadSettings(figma.clientStorage);
      weightsUrl = await loadWeightsUrl(figma.clientStorage);
    } catch (e) {
      notifyError(`could not read the saved settings (${messageOf(e)}); using the defaults`);
    }
    ui.emit('init', { settings, weightsUrl });
    postSelection();
  });
  ui.handle('export', async ({ nodeId, role, size }) => {
    let node: LayerNode;
    let plan: ReturnType<typeof planExport>;
    try {
      node = await findLayer(nodeId);
      plan = planExport(layerBox(node), size, node.name);
    } catch (e) {
      return fail(messageOf(e));
    }
    try {
      const constraint = { type: 'SCALE', value: plan.scale } as const;
      const png = await node.exportAsync({ format: 'PNG', constraint, useAbsoluteBounds: true });
      return { role, node: summarize(node), png, ...pngSize(png) };
    } catch (e) {
      return fail(`Figma could not export "${node.name}": ${messageOf(e)}`);
    }
  });
  ui.handle('place', async ({ originalId, png }) => {
    try {
      const original = await findLayer(originalId);
      const rect = placeResult(figma, original, png);
      figma.notify(`Placed "${rect.name}" beside "${original.name}"`);
      return { nodeId: rect.id, name: rect.name };
    } catch (e) {
      return fail(`could not place the result: ${messageOf(e)}`);
    }
  });
  ui.on('save-settings', ({ settings }) =>
    saveSettings(figma.clientStorage, settings).catch((e) =>
      notifyError(`could not save the settings: ${messageOf(e)}`),
    ),
  );
  ui.on('save-weights-url', ({ url }) =>
    saveWeightsUrl(figma.clientStorage, url).catch((e) =>
      notifyError(`could not save the weights URL: ${messageOf(e)}`),
    ),
  );
  ui.on('notify', ({ message, error }) => figma.notify(message, { error }));
}
