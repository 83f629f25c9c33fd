import type { Page } from 'playwright-core';

/** How many elements of `selector` hold exactly `text` (message bodies, for duplicate checks). */
export async function countText(page: Page, selector: string, text: string): Promise<number> {
  return page
    .locator(selector)
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .count();
}

/** Waits until `check` holds, polling the page (for counts that settle after live updates). */
export async function waitUntil(
  page: Page,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}
