import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { startTcpProxy } from './testing/tcp-proxy';

/**
 * Checked sessions are reused for a while (here 10 minutes, so only the session-end
 * notices can explain what is seen): a session that ends on one server stops working on
 * every server at once, and a server whose LISTEN connection drops trusts nothing cached.
 */
let database: TestDatabase;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  database = await createTestDatabase();
  a = await startTestServer({ database, sessionCacheMs: 600_000 });
  b = await startTestServer({ database, sessionCacheMs: 600_000 });
});
afterAll(async () => {
  await a?.[Symbol.asyncDispose]();
  await b?.[Symbol.asyncDispose]();
  await database[Symbol.asyncDispose]();
});

async function agentOn(server: TestServer) {
  const user = await createTestUser(database.db, 'agent');
  const { token } = await server.server.services.auth.createSession(user.id);
  return { user, token };
}

/** The code a call ends with on `server`: 'OK' or the tRPC error code. */
async function usersList(server: TestServer, token: string): Promise<string> {
  return httpClient(server.url, { token })
    .users.list.query()
    .then(
      () => 'OK',
      (error: Error & { data?: { code?: string } }) => error.data?.code ?? error.message,
    );
}

describe('the session cache', () => {
  it('is used: a session deleted behind the notices’ back still works on the server that checked it', async () => {
    const agent = await agentOn(a);
    expect(await usersList(a, agent.token)).toBe('OK');
    await database.db.$client.query('delete from sessions where user_id = $1', [agent.user.id]);
    expect(await usersList(a, agent.token)).toBe('OK');
    expect(await usersList(b, agent.token)).toBe('UNAUTHORIZED');
  });

  it('forgets a session signed out on another server', async () => {
    const agent = await agentOn(a);
    expect(await usersList(a, agent.token)).toBe('OK');
    expect(a.server.services.auth.sessionCache.size).toBeGreaterThan(0);
    await httpClient(b.url, { token: agent.token }).auth.signOut.mutate();
    await expect.poll(() => usersList(a, agent.token), { timeout: 10_000 }).toBe('UNAUTHORIZED');
  });

  it('forgets the sessions of an agent demoted on another server', async () => {
    const agent = await agentOn(a);
    const admin = await createTestUser(database.db, 'admin');
    const adminToken = (await b.server.services.auth.createSession(admin.id)).token;
    expect(await usersList(a, agent.token)).toBe('OK');
    await httpClient(b.url, { token: adminToken }).users.update.mutate({
      userId: agent.user.id,
      role: 'customer',
    });
    await expect.poll(() => usersList(a, agent.token), { timeout: 10_000 }).not.toBe('OK');
  });

  it('trusts nothing cached while its LISTEN connection is down', async () => {
    // The LISTEN connection goes through a proxy the test holds down; the pool does not.
    const target = new URL(database.url);
    await using proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    await using c = await startTestServer({
      database,
      sessionCacheMs: 600_000,
      listenDatabaseUrl: proxy.via(database.url),
    });
    const agent = await agentOn(c);
    expect(await usersList(c, agent.token)).toBe('OK');
    expect(c.server.services.auth.sessionCache.size).toBeGreaterThan(0);

    proxy.hold();
    await expect.poll(() => c.server.hub.stats().listening, { timeout: 10_000 }).toBe(false);
    // A sign-out now would be a notice nobody hears: the database is asked instead.
    await database.db.$client.query('delete from sessions where user_id = $1', [agent.user.id]);
    expect(await usersList(c, agent.token)).toBe('UNAUTHORIZED');
    // Nor is a session checked during the outage kept.
    const other = await agentOn(c);
    expect(await usersList(c, other.token)).toBe('OK');
    await database.db.$client.query('delete from sessions where user_id = $1', [other.user.id]);
    expect(await usersList(c, other.token)).toBe('UNAUTHORIZED');
    proxy.release();
    await expect.poll(() => c.server.hub.stats().listening, { timeout: 15_000 }).toBe(true);
  });
});
