import { createTestUser, testPassword } from '@parley/api/testing';
import { httpClient, startTestServer, type TestServer } from '@parley/server/testing';
import type { Page } from 'playwright-core';
import { launchBrowser, webRoot, type TestBrowser } from './browser';
import { signIn } from './forms';

export type TestUser = { id: string; name: string; email: string; password: string };

/**
 * A real server over its own database, a browser, and ways to add people: what every
 * browser test starts from. `await using world = await startWorld()`.
 */
export async function startWorld() {
  const server: TestServer = await startTestServer({ webRoot });
  let chrome: TestBrowser;
  try {
    chrome = await launchBrowser();
  } catch (error) {
    await server[Symbol.asyncDispose]();
    throw error;
  }
  const db = server.server.services.db;

  async function createUser(role: 'customer' | 'agent' | 'admin', name: string): Promise<TestUser> {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
    const row = await createTestUser(db, role, { name, email });
    return { id: row.id, name: row.name, email: row.email, password: testPassword };
  }

  /** A page in its own browser context (its own cookies), signed in as `user`. */
  async function pageFor(user: TestUser): Promise<Page> {
    const { page } = await chrome.newPage(server.url);
    await signIn(page, user);
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    return page;
  }

  /** A typed API client acting as `user` (for arranging state the test is not about). */
  async function apiAs(user: TestUser) {
    const { token } = await server.server.services.auth.createSession(user.id);
    return httpClient(server.url, { token });
  }

  return {
    server,
    chrome,
    createUser,
    pageFor,
    apiAs,
    async [Symbol.asyncDispose]() {
      await chrome[Symbol.asyncDispose]();
      await server[Symbol.asyncDispose]();
    },
  };
}
