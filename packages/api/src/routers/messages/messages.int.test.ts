import { randomUUID } from 'node:crypto';
import { messageRows, ticketRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../errors';
import {
  createTestUser,
  failureOf,
  openDesk,
  signedInCaller,
  ticketEvents,
  ticketInput,
} from '../../testing';

describe('messages.send and messages.list', () => {
  it('adds messages with increasing seq and pages through the thread', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const sent = [];
    for (let i = 1; i <= 7; i++) {
      sent.push(
        await customerA.messages.send({
          ticketId: ticket.id,
          body: `message ${i}`,
          clientId: randomUUID(),
        }),
      );
    }
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sent[0]).toMatchObject({
      ticketId: ticket.id,
      author: { id: desk.users.customerA.id, name: desk.users.customerA.name, role: 'customer' },
      body: 'message 1',
      internal: false,
    });

    const newest = await customerA.messages.list({ ticketId: ticket.id, limit: 3 });
    expect(newest.items.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(newest.hasMore).toBe(true);
    const older = await customerA.messages.list({ ticketId: ticket.id, limit: 3, before: 5 });
    expect(older.items.map((m) => m.seq)).toEqual([2, 3, 4]);
    const oldest = await customerA.messages.list({ ticketId: ticket.id, limit: 3, before: 2 });
    expect(oldest).toMatchObject({ hasMore: false });
    expect(oldest.items.map((m) => m.seq)).toEqual([1]);
    const forward = await customerA.messages.list({ ticketId: ticket.id, limit: 4, after: 2 });
    expect(forward.items.map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    expect(forward.hasMore).toBe(true);
    expect((await customerA.messages.list({ ticketId: ticket.id, after: 7 })).items).toEqual([]);
    expect(newest.items[2]).toEqual(sent[6]);

    const created = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) => e.type === 'message.created',
    );
    expect(created.map((e) => e.payload)).toEqual(sent);
  });

  it('lets a customer reply until the ticket is closed', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await customerA.tickets.close({ ticketId: ticket.id });
    const { code } = await failureOf(
      customerA.messages.send({ ticketId: ticket.id, body: 'wait', clientId: randomUUID() }),
    );
    expect(code).toBe('CONFLICT');
    // Agents may still write on a closed ticket (a note for the record).
    await desk.callers.agent.messages.send({
      ticketId: ticket.id,
      body: 'for the record',
      clientId: randomUUID(),
    });
  });

  it('is rate limited per user with a retry hint', async () => {
    await using desk = await openDesk({
      limits: { messagesPerUser: { max: 3, windowSeconds: 60 } },
    });
    const { customerA, agent } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    for (let i = 0; i < 3; i++) {
      await customerA.messages.send({
        ticketId: ticket.id,
        body: `flood ${i}`,
        clientId: randomUUID(),
      });
    }
    const { code, error } = await failureOf(
      customerA.messages.send({ ticketId: ticket.id, body: 'one more', clientId: randomUUID() }),
    );
    expect(code).toBe('TOO_MANY_REQUESTS');
    expect((error as { cause?: AppError }).cause?.details.retryAfterSeconds).toBeGreaterThan(0);
    await agent.messages.send({ ticketId: ticket.id, body: 'unaffected', clientId: randomUUID() });
  });

  it('does not count a retry of a stored message against the limit', async () => {
    await using desk = await openDesk({
      limits: { messagesPerUser: { max: 2, windowSeconds: 60 } },
    });
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const first = { ticketId: ticket.id, body: 'once', clientId: randomUUID() };
    const stored = await customerA.messages.send(first);
    for (let i = 0; i < 3; i++) expect(await customerA.messages.send(first)).toEqual(stored);
    await customerA.messages.send({ ticketId: ticket.id, body: 'twice', clientId: randomUUID() });
    const { code } = await failureOf(
      customerA.messages.send({ ticketId: ticket.id, body: 'thrice', clientId: randomUUID() }),
    );
    expect(code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('idempotent send', () => {
  it('returns the same message for a repeated clientId, right away or much later', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const input = { ticketId: ticket.id, body: 'Is it shipped?', clientId: randomUUID() };
    const first = await customerA.messages.send(input);
    await customerA.messages.send({
      ticketId: ticket.id,
      body: 'in between',
      clientId: randomUUID(),
    });
    // A retry from another session of the same user (e.g. after a reconnect).
    const { caller: again } = await signedInCaller(desk.services, desk.users.customerA.id);
    expect(await again.messages.send(input)).toEqual(first);
    expect(await customerA.messages.send({ ...input, body: 'edited retry' })).toEqual(first);
    const rows = await messageRows(desk.db, { clientId: input.clientId });
    expect(rows).toHaveLength(1);
  });

  it('stores one row for 20 concurrent duplicates, and answers them all the same', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const input = { ticketId: ticket.id, body: 'Double-clicked send', clientId: randomUUID() };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => customerA.messages.send(input)),
    );
    expect(new Set(results.map((m) => JSON.stringify(m))).size).toBe(1);
    const rows = await messageRows(desk.db, { ticketId: ticket.id });
    expect(rows).toHaveLength(1);
    const created = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) => e.type === 'message.created',
    );
    expect(created).toHaveLength(1);
    expect((await customerA.tickets.byId({ ticketId: ticket.id })).messageCount).toBe(1);
  });

  it('refuses a clientId already used on another ticket without revealing that message', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const one = await customerA.tickets.create(ticketInput());
    const two = await customerA.tickets.create(ticketInput());
    const clientId = randomUUID();
    await customerA.messages.send({ ticketId: one.id, body: 'private to ticket one', clientId });
    const { code, error } = await failureOf(
      customerA.messages.send({ ticketId: two.id, body: 'x', clientId }),
    );
    expect(code).toBe('CONFLICT');
    expect(JSON.stringify(error)).not.toContain('private to ticket one');
    expect((error as Error).message).not.toContain(one.id);
  });

  it('keys idempotency by author: another user may use the same clientId', async () => {
    await using desk = await openDesk();
    const { customerA, agent } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const clientId = randomUUID();
    const mine = await customerA.messages.send({ ticketId: ticket.id, body: 'from A', clientId });
    const theirs = await agent.messages.send({
      ticketId: ticket.id,
      body: 'from the agent',
      clientId,
    });
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.body).toBe('from the agent');
  });
});

describe('concurrent senders', () => {
  it('give 20 concurrent senders on one ticket gap-free increasing seq, in commit order', async () => {
    await using desk = await openDesk();
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    const agents = await Promise.all(
      Array.from({ length: 9 }, () => createTestUser(desk.db, 'agent')),
    );
    const senders = [
      desk.callers.customerA,
      desk.callers.agent,
      ...(await Promise.all(
        agents.map(async (a) => (await signedInCaller(desk.services, a.id)).caller),
      )),
    ];
    const sends = Array.from({ length: 20 }, (_, i) =>
      senders[i % senders.length]!.messages.send({
        ticketId: ticket.id,
        body: `concurrent ${i}`,
        clientId: randomUUID(),
      }),
    );
    const results = await Promise.all(sends);
    expect(new Set(results.map((m) => m.seq)).size).toBe(20);

    const rows = await messageRows(desk.db, { ticketId: ticket.id });
    // Agent replies may add "Status changed" messages: still one gap-free run.
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const [{ lastSeq } = { lastSeq: -1 }] = await ticketRows(desk.db, { id: ticket.id });
    expect(lastSeq).toBe(rows.length);

    // The log (read in its commit order) carries the messages in strictly increasing seq.
    const logged = (await ticketEvents(desk.db, ticket.id))
      .filter((e) => e.type === 'message.created')
      .map((e) => (e.payload as { seq: number }).seq);
    expect(logged).toEqual(rows.map((r) => r.seq));
  });
});

describe('messages.markRead', () => {
  it('moves the read position forward only, within the thread, logging each move', async () => {
    await using desk = await openDesk();
    const { customerA, agent } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    for (let i = 0; i < 3; i++) {
      await customerA.messages.send({ ticketId: ticket.id, body: `m${i}`, clientId: randomUUID() });
    }
    expect(await agent.messages.markRead({ ticketId: ticket.id, seq: 2 })).toEqual({
      lastReadSeq: 2,
    });
    expect(await agent.messages.markRead({ ticketId: ticket.id, seq: 1 })).toEqual({
      lastReadSeq: 2,
    });
    expect(await agent.messages.markRead({ ticketId: ticket.id, seq: 2 })).toEqual({
      lastReadSeq: 2,
    });
    expect(await agent.messages.markRead({ ticketId: ticket.id, seq: 999 })).toEqual({
      lastReadSeq: 3,
    });
    const reads = (await ticketEvents(desk.db, ticket.id)).filter((e) => e.type === 'message.read');
    expect(reads.map((e) => [e.audience, e.payload])).toEqual([
      ['all', { userId: desk.users.agent.id, role: 'agent', seq: 2 }],
      ['all', { userId: desk.users.agent.id, role: 'agent', seq: 3 }],
    ]);
    expect((await agent.tickets.byId({ ticketId: ticket.id })).unreadCount).toBe(0);
  });
});

describe('messages.list othersReadSeq', () => {
  it('tells each side how far the other has read, on the newest page only', async () => {
    await using desk = await openDesk();
    const { customerA, agent } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const first = await customerA.messages.send({
      ticketId: ticket.id,
      body: 'one',
      clientId: randomUUID(),
    });
    await customerA.messages.send({ ticketId: ticket.id, body: 'two', clientId: randomUUID() });
    expect((await customerA.messages.list({ ticketId: ticket.id })).othersReadSeq).toBe(0);

    await agent.messages.markRead({ ticketId: ticket.id, seq: first.seq });
    expect((await customerA.messages.list({ ticketId: ticket.id })).othersReadSeq).toBe(first.seq);
    // The agent's own read position is not "the other side" for agents.
    expect((await agent.messages.list({ ticketId: ticket.id })).othersReadSeq).toBe(0);

    await customerA.messages.markRead({ ticketId: ticket.id, seq: 2 });
    expect((await agent.messages.list({ ticketId: ticket.id })).othersReadSeq).toBe(2);
    expect(
      (await agent.messages.list({ ticketId: ticket.id, before: 2 })).othersReadSeq,
    ).toBeNull();
  });
});
