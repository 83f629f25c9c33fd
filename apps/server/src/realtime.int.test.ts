import { randomUUID } from 'node:crypto';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';

/**
 * Two server processes' worth of HTTP + WebSocket (A and B) on one database: what
 * one process writes, subscribers of the other receive.
 */
let database: TestDatabase;
let a: TestServer;
let b: TestServer;
const realtime = {
  typingTtlMs: 1000,
  typingRenewMs: 200,
  presenceHeartbeatMs: 300,
  presenceTtlMs: 1000,
};
beforeAll(async () => {
  database = await createTestDatabase();
  a = await startTestServer({ database, realtime });
  b = await startTestServer({ database, realtime: { ...realtime, maxSubscriptionsPerSocket: 3 } });
});
afterAll(async () => {
  await a[Symbol.asyncDispose]();
  await b[Symbol.asyncDispose]();
  await database[Symbol.asyncDispose]();
});

/** A user with a session token, and typed HTTP clients on both servers. */
async function signedIn(role: 'customer' | 'agent' | 'admin') {
  const user = await createTestUser(database.db, role);
  const { token } = await a.server.services.auth.createSession(user.id);
  return { user, token, onA: httpClient(a.url, { token }), onB: httpClient(b.url, { token }) };
}

type Person = Awaited<ReturnType<typeof signedIn>>;

async function openTicket(customer: Person) {
  return customer.onA.tickets.create.mutate({
    subject: 'Parcel lost',
    description: 'It never came',
  });
}

const send = (who: Person, ticketId: string, body: string, internal?: boolean) =>
  who.onA.messages.send.mutate({
    ticketId,
    body,
    clientId: randomUUID(),
    ...(internal ? { internal } : {}),
  });

describe('across server processes', () => {
  it('delivers a message sent through A to a ticket subscriber and an agent inbox on B', async () => {
    const customer = await signedIn('customer');
    const agent = await signedIn('agent');
    const ticket = await openTicket(customer);
    await using customerSocket = realtimeClient(b.wsUrl, { token: customer.token });
    await using agentSocket = realtimeClient(b.wsUrl, { token: agent.token });
    const thread = collector();
    const inbox = collector();
    customerSocket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
    agentSocket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await thread.until(() => thread.tracked.length > 0, 'ready');
    await inbox.until(() => inbox.tracked.length > 0, 'ready');
    expect(thread.tracked[0]?.data.type).toBe('ready');

    await send(customer, ticket.id, 'Where is my parcel?');
    await thread.until(() => thread.bodies().length === 1, 'the message');
    await inbox.until(() => inbox.bodies().length === 1, 'the message in the inbox');
    expect(thread.bodies()).toEqual(['Where is my parcel?']);
    expect(inbox.events().at(-1)).toMatchObject({ ticketId: ticket.id, type: 'message.created' });
    expect(await agent.onB.tickets.byId.query({ ticketId: ticket.id })).toMatchObject({
      unreadCount: 1,
    });
  });

  it('keeps read receipts and unread counts right on both sides', async () => {
    const customer = await signedIn('customer');
    const agent = await signedIn('agent');
    const ticket = await openTicket(customer);
    await using customerSocket = realtimeClient(a.wsUrl, { token: customer.token });
    await using agentSocket = realtimeClient(b.wsUrl, { token: agent.token });
    const customerThread = collector();
    const agentThread = collector();
    customerSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id },
      customerThread.handlers,
    );
    agentSocket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, agentThread.handlers);
    await customerThread.until(() => customerThread.tracked.length > 0);
    await agentThread.until(() => agentThread.tracked.length > 0);

    const question = await send(customer, ticket.id, 'Hello?');
    await agentThread.until(() => agentThread.bodies().length === 1);
    expect((await agent.onB.tickets.byId.query({ ticketId: ticket.id })).unreadCount).toBe(1);
    await agent.onB.messages.markRead.mutate({ ticketId: ticket.id, seq: question.seq });
    await customerThread.until(() =>
      customerThread.events().some((e) => e.type === 'message.read'),
    );
    expect(customerThread.events().find((e) => e.type === 'message.read')?.data).toEqual({
      userId: agent.user.id,
      role: 'agent',
      seq: question.seq,
    });
    expect((await agent.onB.tickets.byId.query({ ticketId: ticket.id })).unreadCount).toBe(0);

    await send(agent, ticket.id, 'On its way.');
    await customerThread.until(() => customerThread.bodies().length === 2);
    // The reply, and any notice it caused (a status change), are unread for the customer.
    const fromOthers = customerThread
      .events()
      .flatMap((e) =>
        e.type === 'message.created' ? [e.data as { seq: number; author: { id: string } }] : [],
      )
      .filter((m) => m.author.id !== customer.user.id);
    expect((await customer.onA.tickets.byId.query({ ticketId: ticket.id })).unreadCount).toBe(
      fromOthers.length,
    );
    const newest = Math.max(...fromOthers.map((m) => m.seq));
    await customer.onA.messages.markRead.mutate({ ticketId: ticket.id, seq: newest });
    await agentThread.until(
      () => agentThread.events().filter((e) => e.type === 'message.read').length === 2,
    );
    expect((await customer.onA.tickets.byId.query({ ticketId: ticket.id })).unreadCount).toBe(0);
  });
});

describe('ordering', () => {
  it('shows every subscriber strictly increasing seq without gaps under concurrent senders', async () => {
    const customer = await signedIn('customer');
    const agents = [await signedIn('agent'), await signedIn('agent')];
    const ticket = await openTicket(customer);
    await using onA = realtimeClient(a.wsUrl, { token: agents[0]!.token });
    await using onB = realtimeClient(b.wsUrl, { token: customer.token });
    const agentView = collector();
    const customerView = collector();
    onA.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, agentView.handlers);
    onB.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, customerView.handlers);
    await agentView.until(() => agentView.tracked.length > 0);
    await customerView.until(() => customerView.tracked.length > 0);

    const senders = [customer, ...agents];
    await Promise.all(
      senders.map(async (who, s) => {
        for (let i = 0; i < 15; i++) await send(who, ticket.id, `sender ${s} message ${i}`);
      }),
    );
    const seqs = (c: ReturnType<typeof collector>) =>
      c
        .events()
        .flatMap((e) => (e.type === 'message.created' ? [(e.data as { seq: number }).seq] : []));
    const { lastSeq } = await database.db.$client
      .query<{ lastSeq: number }>('select last_seq as "lastSeq" from tickets where id = $1', [
        ticket.id,
      ])
      .then((r) => r.rows[0]!);
    // The customer sees every message but the agents-only status lines ("Waiting on
    // customer", "In progress"), which are stored as internal.
    const publicSeqs = await database.db.$client
      .query<{ seq: number }>(
        'select seq from messages where ticket_id = $1 and not internal order by seq',
        [ticket.id],
      )
      .then((r) => r.rows.map((row) => row.seq));
    await agentView.until(() => seqs(agentView).length === lastSeq, 'every message on A');
    await customerView.until(
      () => seqs(customerView).length === publicSeqs.length,
      'every message on B',
    );
    const all = Array.from({ length: lastSeq }, (_, i) => i + 1);
    expect(seqs(agentView)).toEqual(all);
    expect(seqs(customerView)).toEqual(publicSeqs);
  });
});

describe('authorization on the socket', () => {
  it('never lets an internal note or its events reach a customer subscription', async () => {
    const customer = await signedIn('customer');
    const agent = await signedIn('agent');
    const ticket = await openTicket(customer);
    await using customerSocket = realtimeClient(b.wsUrl, { token: customer.token });
    await using agentSocket = realtimeClient(b.wsUrl, { token: agent.token });
    const customerThread = collector();
    const customerInbox = collector();
    const agentThread = collector();
    customerSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id },
      customerThread.handlers,
    );
    customerSocket.client.realtime.onInbox.subscribe({}, customerInbox.handlers);
    agentSocket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, agentThread.handlers);
    await customerThread.until(() => customerThread.tracked.length > 0);
    await customerInbox.until(() => customerInbox.tracked.length > 0);
    await agentThread.until(() => agentThread.tracked.length > 0);

    await send(agent, ticket.id, 'SECRET: customer is a known fraudster', true);
    await send(agent, ticket.id, 'We are looking into it.');
    await agentThread.until(() => agentThread.bodies().length === 2);
    await customerThread.until(() => customerThread.bodies().length === 1);
    await customerInbox.until(() => customerInbox.bodies().length === 1);
    for (const seen of [customerThread, customerInbox]) {
      expect(seen.bodies()).toEqual(['We are looking into it.']);
      expect(JSON.stringify(seen.tracked)).not.toContain('SECRET');
    }
    expect(agentThread.bodies()).toEqual([
      'SECRET: customer is a known fraudster',
      'We are looking into it.',
    ]);
  });

  it('refuses customer A’s onTicket for B’s ticket before yielding anything', async () => {
    const alice = await signedIn('customer');
    const bob = await signedIn('customer');
    const bobsTicket = await openTicket(bob);
    await using socket = realtimeClient(b.wsUrl, { token: alice.token });
    const stolen = collector();
    socket.client.realtime.onTicket.subscribe({ ticketId: bobsTicket.id }, stolen.handlers);
    await stolen.until(() => stolen.error !== null || stolen.tracked.length > 0);
    expect(stolen.error).toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(stolen.tracked).toEqual([]);
    expect(stolen.signals).toEqual([]);
    await send(bob, bobsTicket.id, 'private');
    const anonymous = collector();
    await using anon = realtimeClient(b.wsUrl);
    anon.client.realtime.onInbox.subscribe(undefined, anonymous.handlers);
    await anonymous.until(() => anonymous.error !== null);
    expect(anonymous.error).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('closes the socket at sign-out, on any process, and delivers nothing after it', async () => {
    const customer = await signedIn('customer');
    const agent = await signedIn('agent');
    const ticket = await openTicket(customer);
    await using socket = realtimeClient(b.wsUrl, { token: customer.token });
    const thread = collector();
    socket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
    await thread.until(() => thread.tracked.length > 0);
    await send(agent, ticket.id, 'before');
    await thread.until(() => thread.bodies().length === 1);

    await customer.onA.auth.signOut.mutate();
    await thread.until(() => socket.closes.includes(4401), 'the socket to close');
    // The client reconnects with its old token and is refused: the subscription ends.
    await thread.until(() => thread.error !== null);
    expect(thread.error).toMatchObject({ data: { code: 'UNAUTHORIZED' } });

    await using agentSocket = realtimeClient(a.wsUrl, { token: agent.token });
    const agentThread = collector();
    agentSocket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, agentThread.handlers);
    await agentThread.until(() => agentThread.tracked.length > 0);
    await send(agent, ticket.id, 'after');
    await agentThread.until(() => agentThread.bodies().includes('after'));
    expect(thread.bodies()).toEqual(['before']);
  });

  it('closes every socket of a user signed out everywhere, disabled or given another role', async () => {
    const admin = await signedIn('admin');
    const everywhere = await signedIn('customer');
    const disabled = await signedIn('agent');
    const demoted = await signedIn('agent');
    const sockets = [everywhere, disabled, demoted].map((p) => [
      realtimeClient(a.wsUrl, { token: p.token }),
      realtimeClient(b.wsUrl, { token: p.token }),
    ]);
    const inboxes = sockets.map((pair) =>
      pair.map((socket) => {
        const inbox = collector();
        socket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
        return inbox;
      }),
    );
    for (const inbox of inboxes.flat()) await inbox.until(() => inbox.tracked.length > 0);

    await everywhere.onB.auth.signOutEverywhere.mutate();
    await admin.onA.users.update.mutate({ userId: disabled.user.id, disabled: true });
    await admin.onA.users.update.mutate({ userId: demoted.user.id, role: 'customer' });
    for (const [i, pair] of sockets.entries()) {
      for (const [j, socket] of pair.entries()) {
        const inbox = inboxes[i]![j]!;
        await inbox.until(() => socket.closes.includes(4401), 'the socket to close');
        await inbox.until(() => inbox.error !== null);
        expect(inbox.error).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
        await socket[Symbol.asyncDispose]();
      }
    }
  });

  it('closes the socket when its session expires', async () => {
    // A third process whose sessions last two seconds.
    await using short = await startTestServer({ database, sessionDays: 2 / 86_400 });
    const customer = await createTestUser(database.db, 'customer');
    const { token } = await short.server.services.auth.createSession(customer.id);
    await using socket = realtimeClient(short.wsUrl, { token });
    const inbox = collector();
    socket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await inbox.until(() => inbox.tracked.length > 0);
    await inbox.until(() => socket.closes.includes(4401), 'the socket to close at expiry');
    await inbox.until(() => inbox.error !== null);
    expect(inbox.error).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('serves subscriptions over WebSocket only, never as an HTTP stream', async () => {
    const agent = await signedIn('agent');
    const res = await fetch(`${a.url}/trpc/realtime.onInbox?input=%7B%7D`, {
      headers: { authorization: `Bearer ${agent.token}`, accept: 'text/event-stream' },
    });
    // The response ends at once with an error event instead of staying open as a stream.
    const body = await res.text();
    expect(body).toContain('METHOD_NOT_SUPPORTED');
    expect(body).not.toContain('ready');
    expect(a.server.hub.stats().subscribers).toBe(0);
  });

  it('caps the subscriptions of one socket with a clear error', async () => {
    const agent = await signedIn('agent');
    await using socket = realtimeClient(b.wsUrl, { token: agent.token });
    const inboxes = Array.from({ length: 4 }, () => collector());
    for (const inbox of inboxes)
      socket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await Promise.all(
      inboxes.map((i) => i.until(() => i.tracked.length > 0 || i.error !== null).catch(() => {})),
    );
    const refused = inboxes.filter((i) => i.error !== null);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.error).toMatchObject({
      message: 'At most 3 subscriptions per connection',
      data: { code: 'TOO_MANY_REQUESTS' },
    });
  });
});

describe('typing and presence', () => {
  it('cross server processes and expire', async () => {
    const customer = await signedIn('customer');
    const agent = await signedIn('agent');
    const ticket = await openTicket(customer);
    await using customerSocket = realtimeClient(a.wsUrl, { token: customer.token });
    await using agentSocket = realtimeClient(b.wsUrl, { token: agent.token });
    const customerView = collector();
    const agentView = collector();
    customerSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id },
      customerView.handlers,
    );
    const agentSubscription = agentSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id },
      agentView.handlers,
    );
    const viewers = (c: ReturnType<typeof collector>) =>
      c.signals
        .flatMap((s) => (s.type === 'presence' ? [s.data.viewers.map((v) => v.id)] : []))
        .at(-1);
    const typing = (c: ReturnType<typeof collector>) =>
      c.signals.flatMap((s) => (s.type === 'typing' ? [`${s.data.user.id}:${s.data.typing}`] : []));

    await customerView.until(
      () => viewers(customerView)?.includes(agent.user.id) ?? false,
      'the agent to appear',
    );
    await agentView.until(
      () => viewers(agentView)?.includes(customer.user.id) ?? false,
      'the customer to appear',
    );

    await agent.onB.realtime.typing.mutate({ ticketId: ticket.id, typing: true });
    await customerView.until(() => typing(customerView).length === 1, 'typing');
    expect(typing(customerView)).toEqual([`${agent.user.id}:true`]);
    // Not renewed: it expires on its own.
    await customerView.until(() => typing(customerView).length === 2, 'typing to expire');
    expect(typing(customerView)).toEqual([`${agent.user.id}:true`, `${agent.user.id}:false`]);
    expect(typing(agentView)).toEqual([]);

    // An internal note's typing reaches agents only. Both calls go through A, whose
    // subscribers get its signals in call order: had the first leaked, it would come first.
    const colleague = await signedIn('agent');
    await agent.onA.realtime.typing.mutate({ ticketId: ticket.id, typing: true, internal: true });
    await colleague.onA.realtime.typing.mutate({ ticketId: ticket.id, typing: true });
    await customerView.until(() => typing(customerView).length === 3, 'the colleague typing');
    expect(typing(customerView).at(-1)).toBe(`${colleague.user.id}:true`);
    await agentView.until(
      () => typing(agentView).length === 1,
      'the colleague typing, for the agent',
    );
    expect(typing(agentView)).toEqual([`${colleague.user.id}:true`]);

    agentSubscription.unsubscribe();
    await customerView.until(() => viewers(customerView)?.length === 0, 'the agent to leave');
  });
});
