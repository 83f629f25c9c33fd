import { randomUUID } from 'node:crypto';
import { createTestUser, testMessageEvent } from '@parley/api/testing';
import { events, tickets } from '@parley/db';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { httpClient, startTestServer, type TestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database[Symbol.asyncDispose]();
});

const manyMessages = { messagesPerUser: { max: 100_000, windowSeconds: 60 } };

async function signedIn(server: TestServer, role: 'customer' | 'agent') {
  const user = await createTestUser(database.db, role);
  const { token } = await server.server.services.auth.createSession(user.id);
  return { user, token, http: httpClient(server.url, { token }) };
}

describe('LISTEN connection faults', () => {
  it('loses nothing when every LISTEN connection is terminated during a 500-message stream', async () => {
    // No safety poll in this test: catching up must come from the reconnect itself.
    const tuning = { realtime: { pollMs: 600_000 }, limits: manyMessages, database };
    await using a = await startTestServer(tuning);
    await using b = await startTestServer(tuning);
    const customer = await signedIn(a, 'customer');
    const agent = await signedIn(a, 'agent');
    const ticket = await customer.http.tickets.create.mutate({
      subject: 'Flood',
      description: 'Many messages',
    });
    await using onB = realtimeClient(b.wsUrl, { token: customer.token });
    await using onA = realtimeClient(a.wsUrl, { token: agent.token });
    const thread = collector();
    const inbox = collector();
    onB.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
    onA.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await thread.until(() => thread.tracked.length > 0);
    await inbox.until(() => inbox.tracked.length > 0);

    const expected = Array.from({ length: 500 }, (_, i) => `message ${i}`);
    const pids = [a.server.hub.listenPid, b.server.hub.listenPid];
    expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
    for (const [i, body] of expected.entries()) {
      if (i === 150) {
        await database.db.$client.query(
          'select pg_terminate_backend(pid) from unnest($1::int[]) as pid',
          [pids],
        );
      }
      await customer.http.messages.send.mutate({
        ticketId: ticket.id,
        body,
        clientId: randomUUID(),
      });
    }
    await thread.until(() => thread.bodies().length >= 500, 'all 500 on B');
    await inbox.until(() => inbox.bodies().length >= 500, 'all 500 on A');
    expect(thread.bodies()).toEqual(expected);
    expect(inbox.bodies()).toEqual(expected);
    // Both processes are listening again, on new connections.
    expect(a.server.hub.stats().listening && b.server.hub.stats().listening).toBe(true);
    expect(a.server.hub.listenPid).not.toBe(pids[0]);
    expect(b.server.hub.listenPid).not.toBe(pids[1]);
  }, 240_000);
});

describe('the commit-ordered cursor', () => {
  it('delivers both of two transactions forced to commit out of start order to a stream resumed between them', async () => {
    await using server = await startTestServer({ database });
    const agent = await signedIn(server, 'agent');
    const customer = await signedIn(server, 'customer');
    const early = await customer.http.tickets.create.mutate({
      subject: 'Early',
      description: 'Starts first',
    });
    const late = await customer.http.tickets.create.mutate({
      subject: 'Late',
      description: 'Starts second',
    });

    // T1 starts first and does some work; it will write its event last.
    const t1 = await database.db.$client.connect();
    try {
      await t1.query('begin');
      await t1.query(`update tickets set order_ref = 'A-1' where id = $1`, [early.id]);
      // T2 starts later, writes its event (a real message) and commits first.
      const sent = await customer.http.messages.send.mutate({
        ticketId: late.id,
        body: 'T2',
        clientId: randomUUID(),
      });
      const { rows } = await database.db.$client.query<{ id: string }>(
        `select id from events where ticket_id = $1 and payload->>'id' = $2`,
        [late.id, sent.id],
      );
      const t2Cursor = rows[0]!.id;

      // A client that received T2's event reconnects now, between the two commits.
      await using socket = realtimeClient(server.wsUrl, { token: agent.token });
      const inbox = collector();
      socket.client.realtime.onInbox.subscribe({ lastEventId: String(t2Cursor) }, inbox.handlers);
      await inbox.until(() => inbox.started > 0, 'the subscription to start');

      await t1.query(
        `insert into events (ticket_id, customer_id, type, audience, payload)
         values ($1, $2, 'ticket.updated', 'all', '{"updatedAt": "2026-01-01T00:00:00Z"}')`,
        [early.id, customer.user.id],
      );
      await t1.query('commit');
      await inbox.until(() => inbox.events().length === 1, 'T1’s event');
      expect(inbox.events()[0]).toMatchObject({ ticketId: early.id, type: 'ticket.updated' });
      expect(Number(inbox.tracked[0]!.id)).toBeGreaterThan(Number(t2Cursor));
    } finally {
      t1.release();
    }
  });

  it('holds back a second writer until the first commits, so ids cannot commit out of order', async () => {
    await using server = await startTestServer({ database });
    const agent = await signedIn(server, 'agent');
    const customer = await signedIn(server, 'customer');
    const early = await customer.http.tickets.create.mutate({
      subject: 'Early',
      description: 'Writes first',
    });
    const late = await customer.http.tickets.create.mutate({
      subject: 'Late',
      description: 'Commits first?',
    });
    await using socket = realtimeClient(server.wsUrl, { token: agent.token });
    const inbox = collector();
    socket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await inbox.until(() => inbox.tracked.length > 0, 'ready');

    // What the hub still delivers from before (the tickets' creation, when it reads the
    // log late on a busy machine) is not part of this check.
    const { rows: last } = await database.db.$client.query<{ id: string }>(
      'select coalesce(max(id), 0)::text as id from events',
    );
    const before = Number(last[0]!.id);
    const t1 = await database.db.$client.connect();
    try {
      await t1.query('begin');
      await t1.query(
        `insert into events (ticket_id, customer_id, type, audience, payload)
         values ($1, $2, 'ticket.updated', 'all', '{"updatedAt": "2026-01-01T00:00:00Z"}')`,
        [early.id, customer.user.id],
      );
      // T2 (a real send) tries to write an event and commit while T1's is uncommitted.
      let acknowledged = false;
      const t2 = customer.http.messages.send
        .mutate({ ticketId: late.id, body: 'T2', clientId: randomUUID() })
        .then(() => (acknowledged = true));
      for (;;) {
        const { rows } = await database.db.$client.query<{ n: number }>(
          `select count(*)::int as n from pg_locks
           where locktype = 'advisory' and not granted
             and database = (select oid from pg_database where datname = current_database())`,
        );
        if (rows[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(acknowledged).toBe(false);
      await t1.query('commit');
      await t2;
      await inbox.until(() => inbox.bodies().length === 1, 'T2’s message');
      const since = new Set(inbox.tracked.filter((t) => Number(t.id) > before).map((t) => t.data));
      const events = inbox.events().filter((e) => since.has(e));
      expect(events[0]).toMatchObject({ ticketId: early.id, type: 'ticket.updated' });
      expect(events.filter((e) => e.ticketId === late.id).length).toBeGreaterThan(0);
      const ids = inbox.tracked.map((t) => Number(t.id));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    } finally {
      t1.release();
    }
  });
});

describe('a subscriber that stops reading', () => {
  it('is dropped instead of buffered without bound, and later catches up from lastEventId', async () => {
    const queueLimit = 64;
    await using server = await startTestServer({
      database,
      realtime: { maxBufferedBytes: 256 * 1024, queueLimit, pollMs: 600_000 },
    });
    const agent = await signedIn(server, 'agent');
    const customer = await createTestUser(database.db, 'customer');
    const [ticket] = await database.db
      .insert(tickets)
      .values({ subject: 'Big', description: 'Big events', customerId: customer.id })
      .returning();

    // A raw tRPC-over-WebSocket client, so that it can stop reading its socket.
    const raw = new WebSocket(server.wsUrl, {
      headers: { cookie: `parley_session=${agent.token}` },
    });
    const received: number[] = [];
    let closeCode = 0;
    const closed = new Promise<void>((resolve) =>
      raw.on('close', (code) => {
        closeCode = code;
        resolve();
      }),
    );
    const ready = new Promise<void>((resolve) =>
      raw.on('message', (frame: Buffer) => {
        const text = frame.toString('utf8');
        if (text === 'PING') return;
        const message = JSON.parse(text) as {
          result?: { type: string; id?: string; data?: { data?: { type?: string } } };
        };
        if (message.result?.type !== 'data' || !message.result.id) return;
        if (message.result.data?.data?.type === 'ready') resolve();
        else received.push(Number(message.result.id));
      }),
    );
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(
      JSON.stringify({
        id: 1,
        method: 'subscription',
        params: { path: 'realtime.onInbox', input: {} },
      }),
    );
    await ready;
    raw.pause();

    // Write big events until the server gives up on the client; its queue never grows past the limit.
    const written: number[] = [];
    const body = 'x'.repeat(64 * 1024);
    for (let batch = 0; server.server.hub.stats().slowConsumersDropped === 0; batch++) {
      if (batch === 400) throw new Error('the slow consumer was never dropped');
      await database.db
        .insert(events)
        .values(Array.from({ length: 10 }, () => testMessageEvent(ticket!, body)));
      await server.server.hub.poll();
      await new Promise((resolve) => setImmediate(resolve));
      expect(server.server.hub.stats().queued).toBeLessThanOrEqual(queueLimit);
    }
    const { rows } = await database.db.$client.query<{ id: number }>(
      'select id from events where ticket_id = $1 order by id',
      [ticket!.id],
    );
    written.push(...rows.map((r) => Number(r.id)));

    raw.resume();
    await closed;
    expect([1013, 1006]).toContain(closeCode);
    // It got a prefix of the stream, far from all of it: the rest was never buffered for it.
    expect(received).toEqual(written.slice(0, received.length));
    expect(received.length).toBeLessThan(written.length);

    await using resumed = realtimeClient(server.wsUrl, { token: agent.token });
    const rest = collector();
    resumed.client.realtime.onInbox.subscribe(
      { lastEventId: String(received.at(-1) ?? written[0]! - 1) },
      rest.handlers,
    );
    await rest.until(
      () => rest.tracked.length >= written.length - received.length,
      'the rest of the stream',
    );
    expect([...received, ...rest.tracked.map((t) => Number(t.id))]).toEqual(written);
    expect(server.server.hub.stats().subscribers).toBe(1);
  }, 240_000);
});
