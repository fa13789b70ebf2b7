/**
 * The sandbox side of the plugin: answers the UI's requests against the document. Every failure is shown with
 * figma.notify, reported to the UI as `failed`, and leaves the document as it was.
 */
import { checkToSandbox, type ToSandbox, type ToUi } from '../protocol.js';
import { planExport } from './export-scale.js';
import type { LayerNode, ResultRectangle, SandboxFigma } from './figma-api.js';
import { placeResult } from './place.js';
import { pngSize } from './png.js';
import { describeSelection, layerBox, summarize, unsupportedReason } from './selection.js';
import { loadSettings, loadWeightsUrl, saveSettings, saveWeightsUrl } from './settings-store.js';

export const UI_SIZE = { width: 360, height: 640 };

// The sandbox imports nothing from the workspace (no DOM): its own copy of @impasto/errors' messageOf.
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function startSandbox<L extends LayerNode, R extends ResultRectangle>(figma: SandboxFigma<L, R>, html: string) {
  const post = (message: ToUi) => figma.ui.postMessage(message);
  const notifyError = (text: string) => figma.notify(sentence(text), { error: true });
  const fail = (requestId: number, text: string) => {
    notifyError(text);
    post({ type: 'failed', requestId, message: sentence(text) });
  };
  const postSelection = () => post({ type: 'selection', selection: describeSelection(figma.currentPage.selection) });

  /** The layer `id`, still there and still stylizable; otherwise an error saying what changed. */
  const findLayer = async (id: string): Promise<LayerNode> => {
    const node = await figma.getNodeByIdAsync(id);
    if (!node || !('exportAsync' in node)) throw new Error('the selected layer no longer exists');
    const reason = unsupportedReason(node as LayerNode);
    if (reason) throw new Error(reason);
    return node as LayerNode;
  };

  const handlers: { [T in ToSandbox['type']]: (m: Extract<ToSandbox, { type: T }>) => Promise<void> | void } = {
    async ready() {
      let settings = null;
      let weightsUrl = null;
      try {
        settings = await loadSettings(figma.clientStorage);
        weightsUrl = await loadWeightsUrl(figma.clientStorage);
      } catch (e) {
        notifyError(`could not read the saved settings (${messageOf(e)}); using the defaults`);
      }
      post({ type: 'init', settings, weightsUrl });
      postSelection();
    },
    async export({ requestId, nodeId, role, size }) {
      let node: LayerNode;
      let plan: ReturnType<typeof planExport>;
      try {
        node = await findLayer(nodeId);
        plan = planExport(layerBox(node), size, node.name);
      } catch (e) {
        return fail(requestId, messageOf(e));
      }
      let png: Uint8Array;
      let pixels: { width: number; height: number };
      try {
        png = await node.exportAsync({
          format: 'PNG',
          constraint: { type: 'SCALE', value: plan.scale },
          useAbsoluteBounds: true,
        });
        pixels = pngSize(png);
      } catch (e) {
        return fail(requestId, `Figma could not export "${node.name}": ${messageOf(e)}`);
      }
      post({ type: 'exported', requestId, role, node: summarize(node), png, ...pixels });
    },
    async place({ requestId, originalId, png }) {
      try {
        const original = await findLayer(originalId);
        const rect = placeResult(figma, original, png);
        post({ type: 'placed', requestId, nodeId: rect.id, name: rect.name });
        figma.notify(`Placed "${rect.name}" beside "${original.name}"`);
      } catch (e) {
        fail(requestId, `could not place the result: ${messageOf(e)}`);
      }
    },
    async 'save-settings'({ settings }) {
      try {
        await saveSettings(figma.clientStorage, settings);
      } catch (e) {
        notifyError(`could not save the settings: ${messageOf(e)}`);
      }
    },
    async 'save-weights-url'({ url }) {
      try {
        await saveWeightsUrl(figma.clientStorage, url);
      } catch (e) {
        notifyError(`could not save the weights URL: ${messageOf(e)}`);
      }
    },
    notify({ message, error }) {
      figma.notify(message, { error });
    },
  };

  figma.showUI(html, { ...UI_SIZE, themeColors: true, title: 'Impasto' });
  figma.on('selectionchange', postSelection);
  figma.ui.onmessage = (raw: unknown) => {
    const checked = checkToSandbox(raw);
    if (!checked.ok) {
      notifyError(`the plugin window sent ${checked.reason}`);
      return;
    }
    const { message } = checked;
    return (handlers[message.type] as (m: ToSandbox) => Promise<void> | void)(message);
  };
}
