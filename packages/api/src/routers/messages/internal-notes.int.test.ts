import { randomUUID } from 'node:crypto';
import { countTickets, messageRows, ticketRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { failureOf, openDesk, ticketEvents, ticketInput } from '../../testing';

const secret = 'Zanzibarquux';

describe('internal notes never reach a customer', () => {
  it('are absent from every customer-facing result: thread, counts, previews, order, search', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const other = await customerA.tickets.create(ticketInput());
    const question = await customerA.messages.send({
      ticketId: ticket.id,
      body: 'Where is it?',
      clientId: randomUUID(),
    });
    const before = await customerA.tickets.byId({ ticketId: ticket.id });
    const listBefore = await customerA.tickets.list();

    const note = await agent.messages.send({
      ticketId: ticket.id,
      body: `${secret}: customer is on the fraud watch list`,
      clientId: randomUUID(),
      internal: true,
    });
    expect(note.internal).toBe(true);

    // Everything the customer can ask for, after the note.
    const seen = {
      thread: await customerA.messages.list({ ticketId: ticket.id }),
      afterQuestion: await customerA.messages.list({ ticketId: ticket.id, after: question.seq }),
      beforeEnd: await customerA.messages.list({ ticketId: ticket.id, before: note.seq + 1 }),
      byId: await customerA.tickets.byId({ ticketId: ticket.id }),
      list: await customerA.tickets.list(),
      search: await customerA.tickets.list({ q: secret }),
      searchFraud: await customerA.tickets.list({ q: 'fraud watch' }),
    };
    expect(JSON.stringify(seen)).not.toContain(secret);
    expect(JSON.stringify(seen)).not.toContain('fraud');
    expect(seen.thread.items.map((m) => m.id)).toEqual([question.id]);
    expect(seen.afterQuestion.items).toEqual([]);
    expect(seen.byId).toEqual(before);
    expect(seen.byId).toMatchObject({ messageCount: 1, unreadCount: 0 });
    expect(seen.list).toEqual(listBefore);
    expect(seen.list.items.map((t) => t.id)).toEqual([ticket.id, other.id]);
    expect(seen.list.items[0]?.lastMessagePreview).toBe('Where is it?');
    expect(seen.search.total).toBe(0);
    expect(seen.searchFraud.total).toBe(0);

    // Agents see and find it.
    const forAgent = await agent.tickets.byId({ ticketId: ticket.id });
    expect(forAgent.messageCount).toBe(2);
    expect((await agent.tickets.list({ q: secret })).items.map((t) => t.id)).toEqual([ticket.id]);
    expect((await agent.messages.list({ ticketId: ticket.id })).items.map((m) => m.id)).toEqual([
      question.id,
      note.id,
    ]);

    // Its events are for agents only, and no event for all mentions it.
    const logged = await ticketEvents(desk.db, ticket.id);
    const noteEvents = logged.filter((e) => JSON.stringify(e.payload).includes(secret));
    expect(noteEvents.map((e) => [e.type, e.audience])).toEqual([['message.created', 'agents']]);
    expect(
      logged
        .filter((e) => e.audience === 'all')
        .some((e) => JSON.stringify(e.payload).includes(note.id)),
    ).toBe(false);
  });

  it('cannot be fetched back by a customer, not even by replaying its clientId', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const clientId = randomUUID();
    await agent.messages.send({ ticketId: ticket.id, body: secret, clientId, internal: true });
    const mine = await customerA.messages.send({ ticketId: ticket.id, body: 'hi', clientId });
    expect(mine.body).toBe('hi');
    expect(JSON.stringify(mine)).not.toContain(secret);
  });
});

describe('agent-only fields from a customer', () => {
  it('are rejected, and the database is unchanged', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const snapshot = async () => ({
      ticket: await ticketRows(desk.db, { id: ticket.id }),
      messages: await messageRows(desk.db, { ticketId: ticket.id }),
      events: await ticketEvents(desk.db, ticket.id),
      tickets: await countTickets(desk.db),
    });
    const before = await snapshot();
    const attempts: Array<() => Promise<unknown>> = [
      () => customerA.tickets.update({ ticketId: ticket.id, status: 'resolved' }),
      () => customerA.tickets.update({ ticketId: ticket.id, assigneeId: desk.users.agent.id }),
      () => customerA.tickets.update({ ticketId: ticket.id, priority: 'urgent' }),
      () =>
        customerA.messages.send({
          ticketId: ticket.id,
          body: 'sneaky',
          clientId: randomUUID(),
          internal: true,
        }),
      () =>
        customerA.messages.send({
          ticketId: ticket.id,
          body: 'sneaky',
          clientId: randomUUID(),
          status: 'closed',
        }),
      () => customerA.tickets.create(ticketInput({ customerId: desk.users.customerB.id })),
      () => customerA.tickets.list({ assignee: 'unassigned' }),
      () => customerA.tickets.list({ customerId: desk.users.customerB.id }),
    ];
    for (const attempt of attempts) expect((await failureOf(attempt())).code).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });
});

describe('read positions do not reveal internal notes', () => {
  it("clamps a customer's markRead, othersReadSeq and read receipts to public messages", async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const question = await customerA.messages.send({
      ticketId: ticket.id,
      body: 'Hello?',
      clientId: randomUUID(),
    });
    const note = await agent.messages.send({
      ticketId: ticket.id,
      body: 'note to self',
      clientId: randomUUID(),
      internal: true,
    });
    expect(note.seq).toBeGreaterThan(question.seq);

    // Asking to read "everything" answers the last message the customer can see.
    expect(await customerA.messages.markRead({ ticketId: ticket.id, seq: 2_147_483_647 })).toEqual({
      lastReadSeq: question.seq,
    });

    // The agent reads up to the note: the customer hears of it only up to the question.
    await agent.messages.markRead({ ticketId: ticket.id, seq: note.seq });
    expect((await customerA.messages.list({ ticketId: ticket.id })).othersReadSeq).toBe(
      question.seq,
    );
    const reads = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) =>
        e.type === 'message.read' &&
        (e.payload as { userId: string }).userId === desk.users.agent.id,
    );
    expect(reads.map((e) => [e.audience, (e.payload as { seq: number }).seq])).toEqual([
      ['all', question.seq],
      ['agents', note.seq],
    ]);
  });
});
