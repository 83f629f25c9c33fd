import { createTestUser, testPassword } from '@parley/api/testing';
import {
  httpClient,
  startChildServer,
  startTestServer,
  type ChildServer,
  type TestServer,
} from '@parley/server/testing';
import type { ChannelSettings } from '@parley/api';
import type { Page } from 'playwright-core';
import { launchBrowser, webRoot, type TestBrowser } from './browser';
import { signIn } from './forms';

export type TestUser = { id: string; name: string; email: string; password: string };

/**
 * A real server over its own database, a browser, and ways to add people: what every
 * browser test starts from. `await using world = await startWorld()`.
 *
 * `killable`: the pages are served by a server in a child process that `stopServer()`
 * kills with SIGKILL (no goodbye to its clients); the in-process server stays up for
 * arranging data, so the two also prove delivery across processes.
 */
type TestServerOptions = NonNullable<Parameters<typeof startTestServer>[0]>;
type NotifyOption = TestServerOptions['notify'];

export async function startWorld(
  options: {
    killable?: boolean;
    /**
     * The delivery engine: `true` replies at once (mail is kept in the database unless
     * `mail` says where it goes); settings change that.
     */
    notify?: NotifyOption;
    /** Email settings (`{ smtpUrl }` of a test SMTP inbox). */
    mail?: TestServerOptions['mail'];
    /** WhatsApp and SMS (point them at the local provider fakes). */
    channels?: ChannelSettings;
    /** Parley's SMTP listener (its port: `smtpInPort`). */
    emailIn?: TestServerOptions['emailIn'];
  } = {},
) {
  const first: TestServer = await startTestServer({
    webRoot,
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.emailIn ? { emailIn: options.emailIn } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
    ...(options.notify
      ? {
          notify: {
            replyDelaySeconds: 0,
            pollMs: 200,
            ...(options.notify === true ? {} : options.notify),
          },
        }
      : {}),
  });
  let chrome: TestBrowser;
  let child: ChildServer | null = null;
  try {
    if (options.killable)
      child = await startChildServer({ databaseUrl: first.database.url, webRoot });
    chrome = await launchBrowser();
  } catch (error) {
    await child?.kill();
    await first[Symbol.asyncDispose]();
    throw error;
  }
  const url = child ? `http://127.0.0.1:${child.port}` : first.url;
  // After a restart the same port and database are served by a new server process's worth of state.
  let current: TestServer | null = first;
  const restarted: TestServer[] = [];
  const running = () => {
    if (!current) throw new Error('the server is stopped');
    return current.server;
  };

  async function createUser(role: 'customer' | 'agent' | 'admin', name: string): Promise<TestUser> {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
    const row = await createTestUser(running().services.db, role, { name, email });
    return { id: row.id, name: row.name, email: row.email, password: testPassword };
  }

  /** A page in its own browser context (its own cookies), signed in as `user`. */
  async function pageFor(user: TestUser): Promise<Page> {
    const { page } = await chrome.newPage(url);
    await signIn(page, user);
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    return page;
  }

  /** A typed API client acting as `user`, for arranging what a test is not about. */
  async function apiAs(user: TestUser) {
    const { token } = await running().services.auth.createSession(user.id);
    return httpClient(first.url, { token });
  }

  return {
    url,
    /** The in-process server's SMTP listener port (with `emailIn`), or null. */
    smtpInPort: first.server.smtpInPort,
    /** The running server's database handle (for arranging data the API cannot, like the past). */
    db: () => running().services.db,
    chrome,
    createUser,
    pageFor,
    apiAs,
    /** Stops the server for real: killed (killable worlds) or closed; the port is released. */
    async stopServer() {
      if (child) return child.kill();
      await running().close();
      current = null;
    },
    /** Starts a new server on the same port over the same database. */
    async startServer() {
      if (child) {
        child = await startChildServer({
          databaseUrl: first.database.url,
          webRoot,
          port: child.port,
        });
        return;
      }
      const next = await startTestServer({
        webRoot,
        database: first.database,
        port: first.server.port,
      });
      restarted.push(next);
      current = next;
    },
    async [Symbol.asyncDispose]() {
      await chrome[Symbol.asyncDispose]();
      await child?.kill();
      for (const server of restarted) await server[Symbol.asyncDispose]();
      await first[Symbol.asyncDispose]();
    },
  };
}
