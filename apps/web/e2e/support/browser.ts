import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's Chromium (`apt-get install chromium`), the browser these tests drive. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * The built web app the test servers serve (`pnpm --filter @parley/web build`): a copy
 * taken before the run (`served-copy.ts`), so a rebuild during the run cannot touch it.
 */
export const webRoot = inject('webRoot');

/** Where screenshots go (gitignored). */
export const resultsDir = fileURLToPath(new URL('../../test-results', import.meta.url));

/** Throws a clear error when the web app was not built before the run. */
export function assertBuilt(): void {
  if (!webRoot || !existsSync(`${webRoot}/index.html`)) {
    throw new Error(
      'The web app is not built: run `pnpm --filter @parley/web build` (pnpm test does).',
    );
  }
}

export type TestBrowser = AsyncDisposable & {
  browser: Browser;
  /** A fresh browser context (its own cookies) and one page in it. */
  newPage(baseUrl: string): Promise<{ context: BrowserContext; page: Page }>;
};

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
  }
  assertBuilt();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    browser,
    async newPage(baseUrl) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: 1280, height: 800 },
      });
      // Generous: the suite shares two cores with other test files.
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      return { context, page };
    },
    async [Symbol.asyncDispose]() {
      await browser.close();
    },
  };
}

/** Writes a full-page PNG to apps/web/test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const path = `${resultsDir}/${name}.png`;
  await page.screenshot({ path, fullPage: false });
  return path;
}
