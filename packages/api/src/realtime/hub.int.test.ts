import { channels, events, tickets, type Db, type EventAudience } from '@parley/db';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../auth/auth';
import { hashToken } from '../auth/hashed-adapter';
import { createTestUser, signedInCaller, testMessageEvent, testServices } from '../testing';
import { createHub, type LocalHub } from './create-hub';
import type { HubTuning } from './tuning';
import type { Viewer } from './events';
import type { StreamItem } from './stream';

let test: TestDatabase;
let db: Db;
beforeAll(async () => {
  test = await createTestDatabase();
  db = test.db;
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

const asViewer = (u: { id: string; name: string; role: Viewer['role'] }): Viewer => ({
  id: u.id,
  name: u.name,
  role: u.role,
});

async function newTicket(customerId: string) {
  const [row] = await db
    .insert(tickets)
    .values({ subject: 'Parcel lost', description: 'It never came', customerId })
    .returning();
  return row!;
}

/** Appends one event in its own transaction; returns its cursor. */
async function append(
  ticket: { id: string; customerId: string },
  audience: EventAudience = 'all',
  body = 'hi',
) {
  await db.insert(events).values(testMessageEvent(ticket, body, audience));
  return lastCursor();
}

async function lastCursor(): Promise<number> {
  const rows = await db.select({ id: events.id }).from(events);
  return Math.max(0, ...rows.map((r) => r.id));
}

/** Consumes a stream in the background; `until` waits (bounded by the test timeout) for a condition. */
function collect(stream: AsyncGenerator<StreamItem, void>) {
  const items: StreamItem[] = [];
  let notify = () => {};
  let finished = false;
  const done = (async () => {
    try {
      for await (const item of stream) {
        items.push(item);
        notify();
      }
    } finally {
      finished = true;
      notify();
    }
  })();
  /** Logged events (and ready/resync) with their ids; signals are tracked too, but apart. */
  const tracked = () =>
    items.flatMap(([id, event]) =>
      event.type === 'typing' || event.type === 'presence' ? [] : [{ id, event }],
    );
  return {
    items,
    done,
    get finished() {
      return finished;
    },
    /** The tracked events' types with their ids, e.g. `3:message.created`. */
    tracked,
    bodies: () =>
      tracked().flatMap(({ event }) =>
        event.type === 'message.created' ? [(event.data as { body: string }).body] : [],
      ),
    async until(check: () => boolean): Promise<void> {
      while (!check()) {
        if (finished) throw new Error('stream ended');
        await new Promise<void>((resolve) => (notify = resolve));
      }
    },
  };
}

function hubFor(
  tuning: Partial<HubTuning> = {},
  onError?: (message: string, error: unknown) => void,
): LocalHub & AsyncDisposable {
  const hub = createHub({
    db,
    auth: createAuth(db),
    tuning: { pollMs: 60_000, ...tuning },
    ...(onError ? { onError } : {}),
  });
  return Object.assign(hub, { [Symbol.asyncDispose]: () => hub.close() });
}

describe('hub streams', () => {
  it('start with a ready cursor, then relay live events in order', async () => {
    await using hub = hubFor();
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    const abort = new AbortController();
    const stream = collect(
      hub.ticketStream({
        viewer: asViewer(customer),
        ticketId: ticket.id,
        lastEventId: null,
        signal: abort.signal,
        socket: null,
      }),
    );
    await stream.until(() => stream.tracked().length === 1);
    const [ready] = stream.tracked();
    expect(ready?.event).toEqual({ id: ready?.id, type: 'ready' });
    expect(Number(ready?.id)).toBe(await lastCursor());

    for (const body of ['one', 'two', 'three']) await append(ticket, 'all', body);
    await hub.poll();
    await stream.until(() => stream.bodies().length === 3);
    expect(stream.bodies()).toEqual(['one', 'two', 'three']);
    const ids = stream.tracked().map((t) => Number(t.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    abort.abort();
    await stream.done;
    expect(hub.stats().subscribers).toBe(0);
  });

  it('replay exactly what was missed after lastEventId, then continue live, once each', async () => {
    await using hub = hubFor();
    const agent = await createTestUser(db, 'agent');
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    await hub.poll();
    const afterA = await append(ticket, 'all', 'a');
    const afterB = await append(ticket, 'all', 'b');
    await append(ticket, 'all', 'c');
    await append(ticket, 'all', 'd');
    // This hub has not read a–d yet (another process, ahead of it, delivered a and b):
    // it dispatches a–d live after the client resumed, and the stream skips a and b.
    const abort = new AbortController();
    const stream = collect(
      hub.inboxStream({
        viewer: asViewer(agent),
        lastEventId: afterB,
        signal: abort.signal,
        socket: null,
      }),
    );
    await hub.poll();
    await stream.until(() => stream.bodies().length === 2);
    // And a client resuming further back, on a hub that is up to date, gets the rest from the log.
    const replayed = collect(
      hub.inboxStream({
        viewer: asViewer(agent),
        lastEventId: afterA,
        signal: abort.signal,
        socket: null,
      }),
    );
    await replayed.until(() => replayed.bodies().length === 3);
    await append(ticket, 'all', 'e');
    await hub.poll();
    await stream.until(() => stream.bodies().length === 3);
    await replayed.until(() => replayed.bodies().length === 4);
    expect(stream.bodies()).toEqual(['c', 'd', 'e']);
    expect(replayed.bodies()).toEqual(['b', 'c', 'd', 'e']);
    abort.abort();
  });

  it('never give a customer another customer’s events or agent-only events, live or replayed', async () => {
    await using hub = hubFor();
    const agent = await createTestUser(db, 'agent');
    const alice = await createTestUser(db, 'customer');
    const bob = await createTestUser(db, 'customer');
    const alicesTicket = await newTicket(alice.id);
    const bobsTicket = await newTicket(bob.id);
    await hub.poll();
    const start = await lastCursor();
    const write = async (phase: string) => {
      await append(alicesTicket, 'all', `${phase}: alice public`);
      await append(alicesTicket, 'agents', `${phase}: alice internal`);
      await append(bobsTicket, 'all', `${phase}: bob public`);
      await append(bobsTicket, 'agents', `${phase}: bob internal`);
    };
    await write('replayed');
    const abort = new AbortController();
    const open = (viewer: Viewer, ticketId: string | null) =>
      collect(
        ticketId
          ? hub.ticketStream({
              viewer,
              ticketId,
              lastEventId: start,
              signal: abort.signal,
              socket: null,
            })
          : hub.inboxStream({ viewer, lastEventId: start, signal: abort.signal, socket: null }),
      );
    const aliceInbox = open(asViewer(alice), null);
    const aliceTicket = open(asViewer(alice), alicesTicket.id);
    const agentInbox = open(asViewer(agent), null);
    await write('live');
    await hub.poll();
    await agentInbox.until(() => agentInbox.bodies().length === 8);
    await aliceInbox.until(() => aliceInbox.bodies().length === 2);
    await aliceTicket.until(() => aliceTicket.bodies().length === 2);
    const expected = ['replayed: alice public', 'live: alice public'];
    expect(aliceInbox.bodies()).toEqual(expected);
    expect(aliceTicket.bodies()).toEqual(expected);
    expect(agentInbox.bodies()).toHaveLength(8);
    abort.abort();
  });

  it('tell a client too far behind to resync instead of replaying, then continue live', async () => {
    await using hub = hubFor({ maxReplay: 5 });
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    await hub.poll();
    const start = await lastCursor();
    const cursors: number[] = [];
    for (let i = 0; i < 6; i++) cursors.push(await append(ticket, 'all', `old ${i}`));
    const secondOld = cursors[1]!;
    await hub.poll();
    const abort = new AbortController();
    const stream = collect(
      hub.ticketStream({
        viewer: asViewer(customer),
        ticketId: ticket.id,
        lastEventId: start,
        signal: abort.signal,
        socket: null,
      }),
    );
    await stream.until(() => stream.tracked().length === 1);
    expect(stream.tracked()[0]).toEqual({
      id: String(await lastCursor()),
      event: { id: String(await lastCursor()), type: 'resync', reason: 'too-far-behind' },
    });
    await append(ticket, 'all', 'new');
    await hub.poll();
    await stream.until(() => stream.bodies().length === 1);
    expect(stream.bodies()).toEqual(['new']);

    // Exactly at the limit: replayed, not resynced.
    const replay = collect(
      hub.ticketStream({
        viewer: asViewer(customer),
        ticketId: ticket.id,
        lastEventId: secondOld,
        signal: abort.signal,
        socket: null,
      }),
    );
    await replay.until(() => replay.bodies().length === 5);
    expect(replay.bodies()).toEqual(['old 2', 'old 3', 'old 4', 'old 5', 'new']);

    const unknown = collect(
      hub.inboxStream({
        viewer: asViewer(customer),
        lastEventId: 10 ** 12,
        signal: abort.signal,
        socket: null,
      }),
    );
    await unknown.until(() => unknown.tracked().length === 1);
    expect(unknown.tracked()[0]?.event).toMatchObject({ type: 'resync', reason: 'unknown-cursor' });
    abort.abort();
  });

  it('keep a subscriber that is not consumed bounded, and let it catch up from the log', async () => {
    await using hub = hubFor({ queueLimit: 8 });
    const agent = await createTestUser(db, 'agent');
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    const abort = new AbortController();
    const stream = hub.inboxStream({
      viewer: asViewer(agent),
      lastEventId: null,
      signal: abort.signal,
      socket: null,
    });
    const ready = await stream.next();
    expect(ready.done).toBe(false);
    // Nobody pulls from the stream while 50 events are dispatched.
    for (let i = 0; i < 50; i++) {
      await append(ticket, 'all', `m${i}`);
      await hub.poll();
      expect(hub.stats().queued).toBeLessThanOrEqual(8);
    }
    expect(hub.stats().overflows).toBeGreaterThanOrEqual(1);
    const bodies: string[] = [];
    while (bodies.length < 50) {
      const { value } = await stream.next();
      if (value && isTrackedEnvelope(value) && value[1].type === 'message.created') {
        bodies.push((value[1].data as { body: string }).body);
      }
    }
    expect(bodies).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    abort.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it('end every subscription when the hub closes', async () => {
    const hub = hubFor();
    const agent = await createTestUser(db, 'agent');
    const stream = collect(
      hub.inboxStream({
        viewer: asViewer(agent),
        lastEventId: null,
        signal: new AbortController().signal,
        socket: null,
      }),
    );
    await stream.until(() => stream.items.length === 1);
    await hub.close();
    await stream.done;
    expect(stream.finished).toBe(true);
  });
});

describe('event rows that do not match the contract', () => {
  /** Writes a row straight into the log, as a bug or a hand-made fix could; returns its id. */
  async function insertRow(
    ticket: { id: string; customerId: string },
    type: string,
    payload: unknown,
    version = 1,
  ): Promise<number> {
    const { rows } = await db.$client.query<{ id: string }>(
      `insert into events (ticket_id, customer_id, type, audience, payload, payload_version)
       values ($1, $2, $3, 'all', $4, $5) returning id`,
      [ticket.id, ticket.customerId, type, JSON.stringify(payload), version],
    );
    return Number(rows[0]!.id);
  }

  it('are logged with their id and type and skipped, live and on replay; the stream goes on', async () => {
    const reported: { message: string; error: unknown }[] = [];
    // Replay batches of two: a batch of nothing but bad rows must not stall a replay.
    await using hub = hubFor({ replayBatch: 2 }, (message, error) =>
      reported.push({ message, error }),
    );
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    await hub.poll();
    const abort = new AbortController();
    const subscribe = (lastEventId: number | null) =>
      collect(
        hub.ticketStream({
          viewer: asViewer(customer),
          ticketId: ticket.id,
          lastEventId,
          signal: abort.signal,
          socket: null,
        }),
      );
    const live = subscribe(null);
    await live.until(() => live.tracked().length === 1);
    const before = await append(ticket, 'all', 'before');

    const good = testMessageEvent(ticket, 'never sent').payload as Record<string, unknown>;
    const bad = [
      await insertRow(ticket, 'message.created', { ...good, body: 42 }),
      await insertRow(ticket, 'message.created', { body: 'fields missing' }),
      await insertRow(ticket, 'ticket.exploded', {}),
      await insertRow(ticket, 'message.created', good, 2),
    ];
    const after = await append(ticket, 'all', 'after');
    await hub.poll();
    await live.until(() => live.bodies().length === 2);
    const replayed = subscribe(before - 1);
    await replayed.until(() => replayed.bodies().length === 2);

    for (const stream of [live, replayed]) {
      expect(stream.bodies()).toEqual(['before', 'after']);
      const ids = stream.tracked().map(({ id }) => Number(id));
      expect(ids).toContain(after);
      for (const id of bad) expect(ids).not.toContain(id);
    }
    // Once by the log reader (live) and once by the replay: id and type named each time.
    const messages = reported.map((r) => r.message);
    for (const [id, type] of bad.map((id, i) => [
      id,
      i === 2 ? 'ticket.exploded' : 'message.created',
    ])) {
      expect(messages.filter((m) => m.includes(`event ${id} (${type})`))).toHaveLength(2);
    }
    expect(reported.every((r) => r.error instanceof Error)).toBe(true);

    // The stream still delivers what comes next.
    await append(ticket, 'all', 'later');
    await hub.poll();
    await live.until(() => live.bodies().length === 3);
    expect(live.bodies()).toEqual(['before', 'after', 'later']);
    abort.abort();
  });
});

describe('session sockets', () => {
  it('closes sockets on a session-end notification, and finds ends it missed when LISTEN comes back', async () => {
    await using hub = hubFor();
    const auth = createAuth(db);
    const user = await createTestUser(db, 'agent');
    const closed: Array<{ socket: string; code: number }> = [];
    const track = async (name: string) => {
      const { token, session } = await auth.createSession(user.id);
      hub.trackSocket({
        token,
        userId: user.id,
        role: user.role,
        expiresAt: session.expiresAt,
        close: (code) => closed.push({ socket: name, code }),
      });
      return token;
    };
    const first = await track('first');
    await track('second');
    const third = await track('third');
    expect(hub.stats().sockets).toBe(3);

    hub.receive(channels.sessions, JSON.stringify({ session: hashToken(first) }));
    expect(closed).toEqual([{ socket: 'first', code: 4401 }]);

    // The session ends while the LISTEN connection is down: its notification is lost.
    await db.$client.query('delete from sessions where id = $1', [hashToken(third)]);
    hub.setListening(false);
    hub.setListening(true);
    await expect.poll(() => closed.length, { timeout: 15_000 }).toBe(2);
    expect(closed[1]).toEqual({ socket: 'third', code: 4401 });

    hub.receive(channels.sessions, JSON.stringify({ user: user.id }));
    expect(closed.map((c) => c.socket)).toEqual(['first', 'third', 'second']);
    expect(hub.stats().sockets).toBe(0);
    hub.receive(channels.sessions, 'not json');
  });

  it('re-checks sessions before delivering what a poll read: signed out, disabled or given another role', async () => {
    await using hub = hubFor();
    const auth = createAuth(db);
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    const sockets: Array<{ name: string; closedBeforeDelivery: boolean | null }> = [];
    let delivered = false;
    const watch = async (name: string) => {
      const agent = await createTestUser(db, 'agent');
      const { token, session } = await auth.createSession(agent.id);
      const socket = { name, closedBeforeDelivery: null as boolean | null };
      sockets.push(socket);
      hub.trackSocket({
        token,
        userId: agent.id,
        role: agent.role,
        expiresAt: session.expiresAt,
        close: () => (socket.closedBeforeDelivery = !delivered),
      });
      return { agent, token };
    };
    const signedOut = await watch('signed out');
    const disabled = await watch('disabled');
    const demoted = await watch('demoted');
    await watch('still signed in');
    const stream = collect(
      hub.ticketStream({
        viewer: asViewer(customer),
        ticketId: ticket.id,
        lastEventId: null,
        signal: new AbortController().signal,
        socket: null,
      }),
    );
    await stream.until(() => stream.tracked().length === 1);

    // No NOTIFY reaches this hub (it has no LISTEN connection): only the database knows.
    await db.$client.query('delete from sessions where id = $1', [hashToken(signedOut.token)]);
    await db.$client.query('update users set disabled_at = now() where id = $1', [
      disabled.agent.id,
    ]);
    await db.$client.query(`update users set role = 'customer' where id = $1`, [demoted.agent.id]);
    await append(ticket, 'all', 'hello');
    await hub.poll();
    delivered = true;
    await stream.until(() => stream.tracked().length === 2);
    expect(sockets).toEqual([
      { name: 'signed out', closedBeforeDelivery: true },
      { name: 'disabled', closedBeforeDelivery: true },
      { name: 'demoted', closedBeforeDelivery: true },
      { name: 'still signed in', closedBeforeDelivery: null },
    ]);
    expect(hub.stats().sockets).toBe(1);
  });
});

describe('commit-ordered cursor', () => {
  /** A connection of its own, for a transaction held open across steps. */
  async function client() {
    const c = await db.$client.connect();
    return Object.assign(c, { [Symbol.asyncDispose]: async () => c.release() });
  }
  const insertEvent = (
    c: { query: Db['$client']['query'] },
    ticket: { id: string; customerId: string },
    body: string,
  ) =>
    c.query(
      `insert into events (ticket_id, customer_id, type, audience, payload) values ($1, $2, 'message.created', 'all', $3)`,
      [ticket.id, ticket.customerId, JSON.stringify(testMessageEvent(ticket, body).payload)],
    );

  it('delivers both of two transactions where the first to start commits last to a stream resumed between them', async () => {
    await using hub = hubFor();
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    await using t1 = await client();
    await using t2 = await client();

    await t1.query('begin');
    await t1.query('update tickets set subject = $1 where id = $2', [
      'Parcel still lost',
      ticket.id,
    ]);
    await t2.query('begin');
    await insertEvent(t2, ticket, 'second to start, first to commit');
    await t2.query('commit');

    // A client saw T2's event and disconnects; it resumes now, between the two commits.
    const t2Cursor = await lastCursor();
    const abort = new AbortController();
    const stream = collect(
      hub.ticketStream({
        viewer: asViewer(customer),
        ticketId: ticket.id,
        lastEventId: t2Cursor,
        signal: abort.signal,
        socket: null,
      }),
    );
    await insertEvent(t1, ticket, 'first to start, last to commit');
    await t1.query('commit');
    await hub.poll();
    await stream.until(() => stream.bodies().length === 1);
    expect(stream.bodies()).toEqual(['first to start, last to commit']);
    expect(Number(stream.tracked()[0]?.id)).toBeGreaterThan(t2Cursor);
    abort.abort();
  });

  it('makes a second event writer wait while the first holds an uncommitted event', async () => {
    const customer = await createTestUser(db, 'customer');
    const ticket = await newTicket(customer.id);
    await using t1 = await client();
    await using t2 = await client();
    await t1.query('begin');
    await insertEvent(t1, ticket, 't1');
    await t2.query('begin');
    const t2Pid = (await t2.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const t2Insert = insertEvent(t2, ticket, 't2');
    // T2 is blocked on the event-id lock, not merely slow: Postgres says so.
    for (;;) {
      const { rows } = await db.$client.query<{ waiting: boolean }>(
        `select exists (select 1 from pg_locks where pid = $1 and locktype = 'advisory' and not granted) as waiting`,
        [t2Pid],
      );
      if (rows[0]?.waiting) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await t1.query('commit');
    await t2Insert;
    await t2.query('commit');
    const { rows } = await db.$client.query<{ body: string }>(
      `select payload->>'body' as body from events where ticket_id = $1 order by id`,
      [ticket.id],
    );
    expect(rows.map((r) => r.body)).toEqual(['t1', 't2']);
  });
});

describe('realtime router', () => {
  it('refuses a customer’s onTicket for another customer’s ticket before yielding anything', async () => {
    const services = testServices(db);
    const alice = await createTestUser(db, 'customer');
    const bob = await createTestUser(db, 'customer');
    const bobsTicket = await newTicket(bob.id);
    const { caller } = await signedInCaller(services, alice.id);
    await expect(caller.realtime.onTicket({ ticketId: bobsTicket.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(caller.realtime.onTicket({ ticketId: crypto.randomUUID() })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await expect(
      caller.realtime.typing({ ticketId: bobsTicket.id, typing: true }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(services.hub.stats().subscribers).toBe(0);
    await services.hub.close();
  });

  it('lets the owner and agents subscribe, and keeps internal typing to agents', async () => {
    const services = testServices(db);
    const customer = await createTestUser(db, 'customer');
    const agent = await createTestUser(db, 'agent');
    const ticket = await newTicket(customer.id);
    const owner = await signedInCaller(services, customer.id);
    const staff = await signedInCaller(services, agent.id);
    const stream = collect(
      (await owner.caller.realtime.onTicket({ ticketId: ticket.id })) as AsyncGenerator<
        StreamItem,
        void
      >,
    );
    await stream.until(() => stream.items.length >= 1);
    await expect(
      owner.caller.realtime.typing({ ticketId: ticket.id, typing: true, internal: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await staff.caller.realtime.typing({ ticketId: ticket.id, typing: true });
    await stream.until(() => stream.items.some(([, e]) => e.type === 'typing'));
    const typing = stream.items.find(([, e]) => e.type === 'typing');
    // Tracked with the stream's cursor (the `ready` before it), so a reconnect resumes there.
    expect(typing?.[0]).toBe(stream.items[0]?.[0]);
    expect(typing?.[1]).toEqual({
      type: 'typing',
      ticketId: ticket.id,
      data: { user: { id: agent.id, name: agent.name, role: 'agent' }, typing: true },
    });
    await expect(
      staff.caller.realtime.onInbox({ lastEventId: 'not-a-cursor' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await services.hub.close();
    await stream.done;
  });
});
