import { randomUUID } from 'node:crypto';
import {
  authorizationMatrix,
  createDeskGuest,
  createSupportDeskUsers,
  everyone,
  failureOf,
  outcomeOf,
  procedureType,
  ticketInput,
  type MatrixWorld,
  type ProcedureCall,
  type SupportDeskUsers,
  type Who,
} from '@parley/api/testing';
import { createTestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, pathCall, startTestServer, type TestServer } from './testing';

type Client = ReturnType<typeof httpClient>;

let t: TestServer;
let users: SupportDeskUsers;
let clients: Record<Who, Client>;
let world: MatrixWorld;

beforeAll(async () => {
  // The matrix opens many tickets: the default 20 per hour would stop it.
  t = await startTestServer({
    limits: {
      ticketsPerUser: { max: 10_000, windowSeconds: 60 },
      widgetStartsPerIp: { max: 10_000, windowSeconds: 60 },
    },
  });
  users = await createSupportDeskUsers(t.database.db);
  const guest = await createDeskGuest(t.database.db, users);
  const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
  clients = {
    anonymous: httpClient(t.url),
    customerA: httpClient(t.url, { token: await tokenOf(users.customerA.id) }),
    customerB: httpClient(t.url, { token: await tokenOf(users.customerB.id) }),
    agent: httpClient(t.url, { token: await tokenOf(users.agent.id) }),
    admin: httpClient(t.url, { token: await tokenOf(users.admin.id) }),
    guest: httpClient(t.url, { token: guest.guestToken }),
  };
  const as = Object.fromEntries(everyone.map((who) => [who, pathCall(clients[who])])) as Record<
    Who,
    ProcedureCall
  >;
  world = { as, users, guest };
});
afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

describe('tickets and messages over HTTP', () => {
  it('runs every procedure happy path with plain JSON', async () => {
    const { customerA, agent, admin } = clients;
    const ticket = await customerA.tickets.create.mutate(
      ticketInput({ orderRef: 'ORD-31337', priority: 'high' }),
    );
    expect(ticket).toMatchObject({ status: 'open', priority: 'high', orderRef: 'ORD-31337' });
    expect(typeof ticket.createdAt).toBe('string');

    const question = await customerA.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Where is my parcel?',
      clientId: randomUUID(),
    });
    const note = await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Warehouse says it never left',
      clientId: randomUUID(),
      internal: true,
    });
    const reply = await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Checking with the carrier',
      clientId: randomUUID(),
    });
    expect([question.seq, note.seq, reply.seq]).toEqual([1, 2, 3]);

    const assigned = await agent.tickets.update.mutate({
      ticketId: ticket.id,
      assigneeId: users.agent.id,
      category: 'order',
    });
    expect(assigned.assignee).toEqual({ id: users.agent.id, name: users.agent.name });

    const mine = await customerA.tickets.list.query({ q: 'parcel' });
    expect(mine.items.map((i) => i.id)).toEqual([ticket.id]);
    const queue = await agent.tickets.list.query({
      assignee: 'me',
      status: ['waiting_customer'],
      sort: 'priority_desc',
    });
    expect(queue.items.map((i) => i.id)).toEqual([ticket.id]);
    expect((await agent.tickets.list.query({ q: 'warehouse' })).total).toBe(1);
    expect((await customerA.tickets.list.query({ q: 'warehouse' })).total).toBe(0);

    const thread = await customerA.messages.list.query({ ticketId: ticket.id });
    expect(thread.items.map((m) => m.body)).not.toContain(note.body);
    const read = await customerA.messages.markRead.mutate({
      ticketId: ticket.id,
      seq: thread.items.at(-1)!.seq,
    });
    expect((await customerA.tickets.byId.query({ ticketId: ticket.id })).unreadCount).toBe(0);
    expect(read.lastReadSeq).toBe(thread.items.at(-1)!.seq);

    await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'resolved' });
    const rated = await customerA.tickets.rate.mutate({
      ticketId: ticket.id,
      score: 5,
      comment: 'Thanks!',
    });
    expect(rated.rating).toEqual({ score: 5, comment: 'Thanks!' });
    // Before the reopen below, which withdraws the rating.
    const stats = await agent.tickets.stats.query();
    expect(stats.csat.count).toBeGreaterThanOrEqual(1);
    expect(stats.daily).toHaveLength(30);
    expect((await customerA.tickets.close.mutate({ ticketId: ticket.id })).status).toBe('closed');
    expect((await customerA.tickets.reopen.mutate({ ticketId: ticket.id })).status).toBe('open');

    expect((await agent.users.list.query({ role: ['agent'] })).map((u) => u.id)).toContain(
      users.agent.id,
    );
    const created = await admin.users.create.mutate({
      email: `http-${randomUUID().slice(0, 8)}@example.com`,
      name: 'Http Agent',
      role: 'agent',
      password: 'a long enough password',
    });
    expect((await admin.users.update.mutate({ userId: created.id, disabled: true })).disabled).toBe(
      true,
    );
  });

  it('answers field-level BAD_REQUEST for NUL bytes, lone surrogates, lengths and unknown keys', async () => {
    const ticket = await clients.customerA.tickets.create.mutate(ticketInput());
    const cases: Array<[unknown, string]> = [
      [{ ticketId: ticket.id, body: 'a\u0000b', clientId: randomUUID() }, 'body'],
      [{ ticketId: ticket.id, body: 'lone \ud800 surrogate', clientId: randomUUID() }, 'body'],
      [{ ticketId: ticket.id, body: '   ', clientId: randomUUID() }, 'body'],
      [{ ticketId: ticket.id, body: 'x'.repeat(10_001), clientId: randomUUID() }, 'body'],
      [{ ticketId: ticket.id, body: 'ok', clientId: 'not-a-uuid' }, 'clientId'],
    ];
    for (const [input, field] of cases) {
      const { code, error } = await failureOf(world.as.customerA('messages.send', input));
      expect(code).toBe('BAD_REQUEST');
      const data = (error as { data: { fieldErrors?: Record<string, string[]> } }).data;
      expect(Object.keys(data.fieldErrors ?? {})).toEqual([field]);
    }
    const unknownKey = await failureOf(
      world.as.customerA('tickets.create', { ...ticketInput(), status: 'closed' }),
    );
    expect(unknownKey.code).toBe('BAD_REQUEST');
  });

  it('sends TOO_MANY_REQUESTS with a retry hint when a user floods messages', async () => {
    await using limited = await startTestServer({
      limits: { messagesPerUser: { max: 2, windowSeconds: 60 } },
    });
    const user = (await createSupportDeskUsers(limited.database.db)).customerA;
    const client = httpClient(limited.url, {
      token: (await limited.server.services.auth.createSession(user.id)).token,
    });
    const ticket = await client.tickets.create.mutate(ticketInput());
    await client.messages.send.mutate({ ticketId: ticket.id, body: '1', clientId: randomUUID() });
    await client.messages.send.mutate({ ticketId: ticket.id, body: '2', clientId: randomUUID() });
    const { code, error } = await failureOf(
      client.messages.send.mutate({ ticketId: ticket.id, body: '3', clientId: randomUUID() }),
    );
    expect(code).toBe('TOO_MANY_REQUESTS');
    const data = (error as { data: { retryAfterSeconds?: number; httpStatus?: number } }).data;
    expect(data.httpStatus).toBe(429);
    expect(data.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('authorization matrix (HTTP)', () => {
  for (const matrixCase of authorizationMatrix) {
    it(`${matrixCase.path}: ${matrixCase.name}`, async () => {
      const outcomes: Partial<Record<Who, string>> = {};
      for (const who of everyone)
        outcomes[who] = await outcomeOf(
          world.as[who](matrixCase.path, await matrixCase.input(world)),
        );
      expect(outcomes).toEqual(matrixCase.expect);
    });
  }
});

describe('malformed requests over HTTP', () => {
  // ~400 requests one after another: on a loaded machine that took over 30 s.
  it(
    'answers odd bodies to every support procedure with a 4xx, never a 500',
    { timeout: 120_000 },
    async () => {
      const ticket = await clients.customerA.tickets.create.mutate(ticketInput());
      const token = (await t.server.services.auth.createSession(users.admin.id)).token;
      const paths = authorizationMatrix
        .map((c) => c.path)
        .filter((p, i, all) => all.indexOf(p) === i);
      const bodies = [
        '',
        '{',
        'null',
        '[]',
        '"text"',
        '12',
        '{"ticketId":1}',
        JSON.stringify({ ticketId: ticket.id, body: 'x\u0000', clientId: randomUUID() }),
        JSON.stringify({ ticketId: ticket.id, body: 'lone \ud800', clientId: randomUUID() }),
        `{"ticketId":"${ticket.id}","__proto__":{"internal":true},"body":"hi","clientId":"${randomUUID()}"}`,
        JSON.stringify({
          ticketId: ticket.id,
          seq: 1e300,
          limit: -1,
          score: 'five',
          status: ['open'],
        }),
        JSON.stringify({
          ticketId: ticket.id,
          cursor: 'eyJzIjoidXBkYXRlZF9kZXNjIn0',
          q: 'a'.repeat(5000),
        }),
        JSON.stringify({ userId: randomUUID(), role: 'root', email: 'x', password: 1 }),
      ];
      for (const path of paths) {
        for (const raw of bodies) {
          const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
          const response =
            procedureType(path) === 'query'
              ? await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(raw)}`, { headers })
              : await fetch(`${t.url}/trpc/${path}`, { method: 'POST', headers, body: raw });
          await response.arrayBuffer();
          expect([path, raw, response.status < 500]).toEqual([path, raw, true]);
        }
      }
    },
  );
});

describe('auto-close job', () => {
  it('closes stale resolved tickets once the server runs, with the configured days', async () => {
    await using database = await createTestDatabase();
    await using first = await startTestServer({ database, autoClose: false });
    const desk = await createSupportDeskUsers(database.db);
    const agent = httpClient(first.url, {
      token: (await first.server.services.auth.createSession(desk.agent.id)).token,
    });
    const stale = await agent.tickets.create.mutate(ticketInput({ customerId: desk.customerA.id }));
    const fresh = await agent.tickets.create.mutate(ticketInput({ customerId: desk.customerA.id }));
    for (const ticket of [stale, fresh])
      await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'resolved' });
    await database.db.$client.query(
      `update tickets set resolved_at = now() - interval '3 days' where id = $1`,
      [stale.id],
    );

    await using second = await startTestServer({
      database,
      autoClose: { afterDays: 2, intervalSeconds: 1 },
    });
    const deadline = Date.now() + 10_000;
    let status = '';
    while (Date.now() < deadline && status !== 'closed') {
      status = (await agent.tickets.byId.query({ ticketId: stale.id })).status;
      if (status !== 'closed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('closed');
    expect((await agent.tickets.byId.query({ ticketId: fresh.id })).status).toBe('resolved');
    expect(second.url).not.toBe(first.url);
  });
});
