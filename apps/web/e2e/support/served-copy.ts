import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A copy of the built web app, taken before any test ran ('' when it is not built). */
    webRoot: string;
  }
}

/** Where `pnpm --filter @parley/web build` writes the web app. */
export const builtWebApp = fileURLToPath(new URL('../../dist', import.meta.url));

/**
 * Vitest global setup: the browser tests serve a copy of the built web app, not
 * `apps/web/dist` itself, because a test that runs `pnpm start` rebuilds `dist` in place
 * (Vite empties it first), and a browser test starting in that moment found no
 * `index.html` (a CI run failed so).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(path.join(builtWebApp, 'index.html'))) {
    project.provide('webRoot', '');
    return async () => {};
  }
  const copy = await mkdtemp(path.join(tmpdir(), 'parley-web-served-'));
  await cp(builtWebApp, copy, { recursive: true });
  project.provide('webRoot', copy);
  return () => rm(copy, { recursive: true, force: true });
}
