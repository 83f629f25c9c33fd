import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBuilt, webRoot } from './support/browser';

/** Gzipped bytes of a built file. */
async function gzipped(file: string): Promise<number> {
  return gzipSync(await readFile(path.join(webRoot, file))).length;
}

/**
 * The widget's size budget (issue: ≤ 60 KB gzipped for the loader, ≤ 150 KB for the
 * chat): the loader is one file; the chat is everything `widget.html` loads.
 */
describe('the built widget', () => {
  it('stays within its size budget', async () => {
    assertBuilt();
    expect(await gzipped('widget.js')).toBeLessThan(60 * 1024);
    const html = await readFile(path.join(webRoot, 'widget.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
      (match) => match[1]!,
    );
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    let total = 0;
    for (const asset of new Set(assets)) total += await gzipped(asset);
    expect(total).toBeLessThan(150 * 1024);
  });
});
