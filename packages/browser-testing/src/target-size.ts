import type { Page } from 'playwright-core';

/** WCAG 2.2's minimum target size (2.5.8), CSS px a side. */
export const MIN_TARGET_PX = 24;

/**
 * Every control on the page that is shown and smaller than MIN_TARGET_PX either way, as "what WxH" (its test id,
 * label or tag): buttons, menus, inputs, summaries, links, and the labels of file inputs (often the visible part).
 */
export function smallTargets(page: Pick<Page, 'evaluate'>): Promise<string[]> {
  return page.evaluate((min) => {
    const controls = document.querySelectorAll<HTMLElement>(
      'button, select, summary, a[href], input:not([type=hidden]):not([hidden]), label:has(> input[type=file])',
    );
    const small: string[] = [];
    for (const el of Array.from(controls)) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const shown = r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && Number(style.opacity) > 0;
      // A visually hidden input (1 px, transparent) inside its label is reached through the label.
      if (!shown || (r.width <= 1 && r.height <= 1)) continue;
      if (r.width >= min && r.height >= min) continue;
      const name = el.dataset.testid ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 20) ?? '';
      small.push(
        `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`,
      );
    }
    return small;
  }, MIN_TARGET_PX);
}
