import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, webRoot } from './support/browser';
import { builtWebApp } from './support/served-copy';

describe('the web app the browser tests serve', () => {
  it('is a copy taken before the run, outside apps/web/dist, which `pnpm start` rebuilds', () => {
    assertBuilt();
    expect(path.relative(builtWebApp, webRoot)).toMatch(/^\.\./);
    expect(existsSync(path.join(webRoot, 'index.html'))).toBe(true);
    expect(existsSync(path.join(webRoot, 'widget.html'))).toBe(true);
  });
});
