/**
 * Keeps the panel's content the selected layer at the panel's size: exports the layer when it (or the size)
 * changes, drops an export overtaken by a newer one, and does not retry a failed export for every settings change.
 */
import { messageOf } from '@impasto/errors';
import type { StylizePanel } from '@impasto/ui';
import type { NodeSummary, UiChannel } from '../protocol.js';

export interface ContentSync {
  /** Exports `layer` into `panel` unless that layer at that size was the last asked for. */
  follow(panel: StylizePanel, layer: NodeSummary): void;
  /** A new selection, even of the same layer, is a new try. */
  forget(): void;
}

/** `afterContent`: called once an export is in the panel (the panel clears its message then). */
export function createContentSync(sandbox: UiChannel, afterContent: (panel: StylizePanel) => void): ContentSync {
  let ticket = 0;
  /** The last export asked for ("id@size"). */
  let asked: string | null = null;
  return {
    follow(panel, layer) {
      const size = panel.settings().size;
      const key = `${layer.id}@${size}`;
      if (key === asked) return;
      asked = key;
      const mine = ++ticket;
      sandbox
        .request('export', { nodeId: layer.id, role: 'content', size })
        .then(async (r) => {
          if (mine !== ticket) return;
          await panel.setContent(r.png, r.node.name, r.node.id);
          afterContent(panel);
        })
        .catch((e) => {
          if (mine === ticket) panel.showMessage(messageOf(e), 'error');
        });
    },
    forget() {
      asked = null;
    },
  };
}
