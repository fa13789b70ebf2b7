/** The strip above the panel: which layer is the content, and the other selected layer as a possible style. */
import type { NodeSummary } from '../protocol.js';

export interface SelectionBarView {
  /** The content layer and the other selected layer, or a message when the selection offers none. */
  content: NodeSummary | null;
  other: NodeSummary | null;
  message: string;
}

const size = (n: NodeSummary) => `${Math.round(n.width)} × ${Math.round(n.height)}`;

function button(testId: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.testid = testId;
  b.addEventListener('click', onClick);
  return b;
}

export function createSelectionBar(actions: { useOtherAsStyle(): void; swap(): void }) {
  const element = document.createElement('div');
  element.className = 'fp-bar';
  const line = document.createElement('div');
  line.dataset.testid = 'selection';
  const useOther = button('use-other-style', actions.useOtherAsStyle);
  const swap = button('swap', actions.swap);
  swap.textContent = 'Swap';
  swap.title = 'use the other layer as the content instead';
  element.append(line, useOther, swap);

  return {
    element,
    show({ content, other, message }: SelectionBarView) {
      line.textContent = content ? `Layer: “${content.name}” (${size(content)})` : message;
      line.classList.toggle('fp-hint', !content);
      useOther.hidden = swap.hidden = !other;
      if (other) useOther.textContent = `Use “${other.name}” as the style`;
    },
  };
}
