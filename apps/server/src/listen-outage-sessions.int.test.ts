import { randomUUID } from 'node:crypto';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';

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
 * Keeps every LISTEN connection of the test database down: refuses its logins (a PG 17
 * login event trigger) and terminates the current one. `restore` lets it reconnect.
 */
async function listenOutage(server: TestServer) {
  const sql = database.db.$client;
  await sql.query(`
    create or replace function refuse_listen_logins() returns event_trigger
    language plpgsql as $$
    begin
      if current_setting('application_name') like 'parley-listen-%' then
        raise exception 'LISTEN connections are held down by the test';
      end if;
    end $$`);
  await sql.query(
    'create event trigger refuse_listen_logins on login execute function refuse_listen_logins()',
  );
  await sql.query(
    `select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'parley-listen-%'`,
  );
  await expect.poll(() => server.server.hub.stats().listening, { timeout: 10_000 }).toBe(false);
  return {
    async restore() {
      await sql.query('drop event trigger if exists refuse_listen_logins');
      await expect.poll(() => server.server.hub.stats().listening, { timeout: 15_000 }).toBe(true);
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
    await using server = await startTestServer({ database, realtime: { pollMs: 100 } });
    const { watcher, end, writeNote } = await setUp(server);
    const ended = await Promise.all(endings.map(() => watcher()));
    const staying = await watcher();

    const outage = await listenOutage(server);
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
        await expect.poll(() => agent.socket.closes.includes(4401), { timeout: 5_000 }).toBe(true);
      }
    } finally {
      await outage.restore();
    }
    for (const agent of [...ended, staying]) await agent.socket[Symbol.asyncDispose]();
  }, 60_000);

  it('gets no internal note from the catch-up read when the connection comes back', async () => {
    // No safety poll: only the reconnect reads what was written during the outage.
    await using server = await startTestServer({ database, realtime: { pollMs: 600_000 } });
    const { watcher, end, writeNote } = await setUp(server);
    // Re-checking sessions and reading the log raced: repeat to see either order.
    for (let round = 0; round < 4; round++) {
      const ended = await Promise.all(endings.map(() => watcher()));
      const staying = await watcher();

      const outage = await listenOutage(server);
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
        await expect.poll(() => agent.socket.closes.includes(4401), { timeout: 5_000 }).toBe(true);
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
