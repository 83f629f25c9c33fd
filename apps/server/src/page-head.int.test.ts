import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestUser } from '@parley/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';

/** A public help article's page has its own title and description before any script runs. */

let t: TestServer;
let webRoot: string;
beforeAll(async () => {
  webRoot = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
  await writeFile(
    path.join(webRoot, 'index.html'),
    '<!doctype html><head><meta name="description" content="Parley support desk" /><title>Parley</title></head>',
  );
  t = await startTestServer({ webRoot });
  const agent = await createTestUser(t.server.services.db, 'agent');
  const { token } = await t.server.services.auth.createSession(agent.id);
  const api = httpClient(t.url, { token });
  await api.help.articles.create.mutate({
    title: 'Returns & <refunds>',
    slug: 'returns',
    summary: 'Send it back within "30 days".',
    body: 'Details.',
    status: 'published',
  });
  await api.help.articles.create.mutate({
    title: 'Secret draft',
    slug: 'secret',
    body: 'Not yet.',
  });
});
afterAll(async () => {
  await t[Symbol.asyncDispose]();
  await rm(webRoot, { recursive: true, force: true });
});

const page = async (pathname: string) => (await fetch(`${t.url}${pathname}`)).text();

describe('help article pages', () => {
  it('carry the article title and summary, escaped, in the served HTML', async () => {
    const html = await page('/help/returns');
    expect(html).toContain('<title>Returns &amp; &lt;refunds&gt; · Parley Help</title>');
    expect(html).toContain(
      '<meta name="description" content="Send it back within &quot;30 days&quot;." />',
    );
  });

  it('keep the app head for drafts, unknown articles and other pages', async () => {
    for (const pathname of ['/help/secret', '/help/nothing-here', '/help', '/tickets']) {
      expect([pathname, await page(pathname)]).toEqual([
        pathname,
        expect.stringContaining('<title>Parley</title>'),
      ]);
    }
  });
});
