import { randomUUID } from 'node:crypto';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';
import { startTcpProxy } from './testing/tcp-proxy';

/**
 * Session ends are announced by NOTIFY, so while the LISTEN connection is down they are
 * lost. Whatever the hub reads from the log meanwhile (the safety poll) or right after
 * the connection comes back (the catch-up read) must not reach a socket whose session
 * ended: sessions are re-checked before those events are delivered.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database[Symbol.asyncDispose]();
});

/**
 * A server whose LISTEN connection goes through a proxy the test can hold down, while
 * its pool and the safety poll reach Postgres directly (any Postgres version).
 */
async function startServerWithListenProxy(realtime: { pollMs: number }) {
  const target = new URL(database.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  const server = await startTestServer({
    database,
    realtime,
    listenDatabaseUrl: proxy.via(database.url),
  });
  return {
    server,
    async [Symbol.asyncDispose]() {
      await server[Symbol.asyncDispose]();
      await proxy[Symbol.asyncDispose]();
    },
    /** Drops the LISTEN connection and keeps it down; `restore` lets it reconnect. */
    async listenOutage() {
      proxy.hold();
      await expect.poll(() => server.server.hub.stats().listening, { timeout: 10_000 }).toBe(false);
      return {
        async restore() {
          proxy.release();
          await expect
            .poll(() => server.server.hub.stats().listening, { timeout: 15_000 })
            .toBe(true);
        },
      };
    },
  };
}

type Ending = 'disable' | 'demote' | 'sign out';

async function setUp(server: TestServer) {
  const session = async (role: 'customer' | 'agent' | 'admin') => {
    const user = await createTestUser(database.db, role);
    const { token } = await server.server.services.auth.createSession(user.id);
    return { user, token, http: httpClient(server.url, { token }) };
  };
  const admin = await session('admin');
  const writer = await session('agent');
  const customer = await session('customer');
  const ticket = await customer.http.tickets.create.mutate({
    subject: 'Refund',
    description: 'Please',
  });

  /** An agent watching the inbox and the ticket over one socket. */
  const watcher = async () => {
    const agent = await session('agent');
    const socket = realtimeClient(server.wsUrl, { token: agent.token });
    const inbox = collector();
    const thread = collector();
    socket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    socket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
    await inbox.until(() => inbox.tracked.length > 0, 'the inbox to start');
    await thread.until(() => thread.tracked.length > 0, 'the thread to start');
    const notes = () =>
      [...inbox.events(), ...thread.events()].filter(
        (e) => e.type === 'message.created' && (e.data as { internal: boolean }).internal,
      );
    return { ...agent, socket, notes };
  };

  const end = async (how: Ending, agent: Awaited<ReturnType<typeof watcher>>) => {
    if (how === 'disable')
      await admin.http.users.update.mutate({ userId: agent.user.id, disabled: true });
    else if (how === 'demote')
      await admin.http.users.update.mutate({ userId: agent.user.id, role: 'customer' });
    else await agent.http.auth.signOut.mutate();
  };

  const writeNote = (body: string) =>
    writer.http.messages.send.mutate({
      ticketId: ticket.id,
      body,
      clientId: randomUUID(),
      internal: true,
    });

  return { watcher, end, writeNote };
}

const endings: Ending[] = ['disable', 'demote', 'sign out'];

describe('a session that ends while the LISTEN connection is down', () => {
  it('gets no internal note from the safety poll during a long outage', async () => {
    await using rig = await startServerWithListenProxy({ pollMs: 100 });
    const { server } = rig;
    const { watcher, end, writeNote } = await setUp(server);
    const ended = await Promise.all(endings.map(() => watcher()));
    const staying = await watcher();

    const outage = await rig.listenOutage();
    try {
      for (const [i, how] of endings.entries()) await end(how, ended[i]!);
      await writeNote('Internal: refund approved, do not tell yet');
      // The safety poll delivers the note to the agent still signed in…
      await expect.poll(() => staying.notes().length, { timeout: 10_000 }).toBe(2);
      // …but not to the ended sessions, over several more polls while the connection stays down…
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ended.map((agent) => agent.notes())).toEqual([[], [], []]);
      expect(server.server.hub.stats().listening).toBe(false);
      // …whose sockets it closes.
      for (const agent of ended) {
        await expect.poll(() => agent.socket.closes.includes(4401), { timeout: 20_000 }).toBe(true);
      }
    } finally {
      await outage.restore();
    }
    for (const agent of [...ended, staying]) await agent.socket[Symbol.asyncDispose]();
  }, 60_000);

  it('gets no internal note from the catch-up read when the connection comes back', async () => {
    // No safety poll: only the reconnect reads what was written during the outage.
    await using rig = await startServerWithListenProxy({ pollMs: 600_000 });
    const { server } = rig;
    const { watcher, end, writeNote } = await setUp(server);
    // Re-checking sessions and reading the log raced: repeat to see either order.
    for (let round = 0; round < 4; round++) {
      const ended = await Promise.all(endings.map(() => watcher()));
      const staying = await watcher();

      const outage = await rig.listenOutage();
      try {
        for (const [i, how] of endings.entries()) await end(how, ended[i]!);
        await writeNote(`Internal note ${round}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(staying.notes()).toEqual([]);
      } finally {
        await outage.restore();
      }
      await expect.poll(() => staying.notes().length, { timeout: 10_000 }).toBe(2);
      for (const agent of ended) {
        await expect.poll(() => agent.socket.closes.includes(4401), { timeout: 20_000 }).toBe(true);
      }
      // Give a wrongly delivered note time to arrive before looking.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect({ round, notes: ended.map((agent) => agent.notes()) }).toEqual({
        round,
        notes: [[], [], []],
      });
      for (const agent of [...ended, staying]) await agent.socket[Symbol.asyncDispose]();
    }
  }, 120_000);
});
