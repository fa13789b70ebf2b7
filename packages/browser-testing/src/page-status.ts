import type { Page } from 'playwright-core';

/**
 * Records every text the page's `[data-testid=status]` element shows, from the next navigation on (call before
 * `page.goto`): progress reports replace each other faster than a test can poll.
 */
export async function recordStatuses(page: Page): Promise<string[]> {
  const statuses: string[] = [];
  await page.exposeFunction('recordStatus', (s: string) => statuses.push(s));
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid=status]');
      if (el) (window as unknown as { recordStatus(s: string): void }).recordStatus(el.textContent ?? '');
    }).observe(document, { childList: true, characterData: true, subtree: true });
  });
  return statuses;
}
