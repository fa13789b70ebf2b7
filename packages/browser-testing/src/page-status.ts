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

/**
 * Clicks the panel's Stylize button inside `target` (a page or a frame) and returns how many milliseconds its
 * `[data-testid=status]` line stayed empty afterwards.
 */
export function msUntilStatus(target: Pick<Page, 'evaluate'>): Promise<number> {
  return target.evaluate(async () => {
    const status = document.querySelector('[data-testid=status]') as HTMLElement;
    const t0 = performance.now();
    (document.querySelector('[data-testid=start]') as HTMLButtonElement).click();
    while (!status.textContent) await new Promise((r) => setTimeout(r, 5));
    return performance.now() - t0;
  });
}
