import { randomUUID } from 'node:crypto';
import { backdateTicket, countTickets, databaseToday } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { type AppError } from '../../errors';
import { createTestUser, failureOf, openDesk, ticketEvents, ticketInput } from '../../testing';

describe('tickets.create', () => {
  it('opens a ticket with an increasing number, defaults and trimmed text, stored as typed', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    const first = await customerA.tickets.create({
      subject: '  <script>alert("x")</script> Broken zip  ',
      description: '  It says <b>error</b> & stops.  ',
      orderRef: ' ORD-1234 ',
    });
    const second = await customerA.tickets.create(
      ticketInput({ category: 'payment', priority: 'high' }),
    );
    expect(first).toMatchObject({
      subject: '<script>alert("x")</script> Broken zip',
      description: 'It says <b>error</b> & stops.',
      orderRef: 'ORD-1234',
      category: 'general',
      priority: 'medium',
      status: 'open',
      customer: { id: desk.users.customerA.id, name: desk.users.customerA.name },
      assignee: null,
      messageCount: 0,
      unreadCount: 0,
      lastMessageAt: null,
      firstResponseAt: null,
      rating: null,
    });
    expect(second.number).toBeGreaterThan(first.number);
    expect(second).toMatchObject({ category: 'payment', priority: 'high' });
  });

  it('logs ticket.created with the summary, for everyone', async () => {
    await using desk = await openDesk();
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    const [event, ...rest] = await ticketEvents(desk.db, ticket.id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'ticket.created',
      audience: 'all',
      customerId: desk.users.customerA.id,
    });
    // The event's summary is the contract's (docs/events.md): no description, no channel, no files.
    const {
      description: _description,
      channel: _channel,
      attachments: _files,
      ...summary
    } = ticket;
    expect(event?.payload).toEqual({ ...summary, lastMessagePreview: null });
  });

  it('is idempotent on clientId, also for concurrent duplicates', async () => {
    await using desk = await openDesk();
    const clientId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        desk.callers.customerA.tickets.create(ticketInput({ clientId })),
      ),
    );
    expect(new Set(results.map((t) => t.id)).size).toBe(1);
    expect(await countTickets(desk.db, { clientId })).toBe(1);
    // The same clientId from another customer is another ticket.
    const other = await desk.callers.customerB.tickets.create(ticketInput({ clientId }));
    expect(other.id).not.toBe(results[0]?.id);
  });

  it('lets agents open a ticket for a customer, and only for an active customer', async () => {
    await using desk = await openDesk();
    const { agent } = desk.callers;
    const ticket = await agent.tickets.create(ticketInput({ customerId: desk.users.customerB.id }));
    expect(ticket.customer.id).toBe(desk.users.customerB.id);
    expect(await desk.callers.customerB.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      id: ticket.id,
    });

    for (const customerId of [desk.users.agent.id, randomUUID()]) {
      const { code, error } = await failureOf(agent.tickets.create(ticketInput({ customerId })));
      expect(code).toBe('BAD_REQUEST');
      expect((error as { cause?: AppError }).cause?.details.fieldErrors).toEqual({
        customerId: ['No such customer'],
      });
    }
    expect((await failureOf(agent.tickets.create(ticketInput()))).code).toBe('BAD_REQUEST');
  });

  it('is rate limited per user with a retry hint, other users unaffected', async () => {
    await using desk = await openDesk({
      limits: { ticketsPerUser: { max: 2, windowSeconds: 600 } },
    });
    const { customerA, customerB } = desk.callers;
    await customerA.tickets.create(ticketInput());
    await customerA.tickets.create(ticketInput());
    const { code, error } = await failureOf(customerA.tickets.create(ticketInput()));
    expect(code).toBe('TOO_MANY_REQUESTS');
    const retry = (error as { cause?: AppError }).cause?.details.retryAfterSeconds ?? 0;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(600);
    await customerB.tickets.create(ticketInput());
  });
});

describe('tickets.update', () => {
  it('changes each field with a system message per change, and logs only what changed', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const updated = await agent.tickets.update({
      ticketId: ticket.id,
      assigneeId: desk.users.agent.id,
      status: 'in_progress',
      priority: 'urgent',
      category: 'order',
    });
    expect(updated).toMatchObject({
      status: 'in_progress',
      priority: 'urgent',
      category: 'order',
      assignee: { id: desk.users.agent.id, name: desk.users.agent.name },
      // System lines are not messages people wrote.
      messageCount: 0,
    });
    const by = desk.users.agent.name;
    const thread = await agent.messages.list({ ticketId: ticket.id });
    expect(thread.items.map((m) => [m.author.role, m.body])).toEqual([
      ['system', `${desk.users.agent.name} joined the conversation`],
      ['system', `Status changed to In progress by ${by}`],
      ['system', `Priority changed to Urgent by ${by}`],
      ['system', `Category changed to Order by ${by}`],
    ]);
    // The customer sees who joined; the triage lines are for agents.
    expect(
      (await customerA.messages.list({ ticketId: ticket.id })).items.map((m) => m.body),
    ).toEqual([`${desk.users.agent.name} joined the conversation`]);
    expect(thread.items[0]?.author).toEqual({
      id: desk.users.agent.id,
      name: desk.users.agent.name,
      role: 'system',
    });

    const events = await ticketEvents(desk.db, ticket.id);
    const changed = events.filter((e) => e.type === 'ticket.updated');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.payload).toEqual({
      status: 'in_progress',
      priority: 'urgent',
      category: 'order',
      assignee: { id: desk.users.agent.id, name: desk.users.agent.name },
      updatedAt: updated.updatedAt,
    });
    expect(events.filter((e) => e.type === 'message.created').map((e) => e.audience)).toEqual([
      'all',
      'agents',
      'agents',
      'agents',
    ]);

    // Nothing to change: nothing written.
    const before = (await ticketEvents(desk.db, ticket.id)).length;
    const same = await agent.tickets.update({
      ticketId: ticket.id,
      priority: 'urgent',
      status: 'in_progress',
    });
    expect(same.updatedAt).toBe(updated.updatedAt);
    expect(await ticketEvents(desk.db, ticket.id)).toHaveLength(before);
  });

  it('says who left when the assignee is removed, and assigns only active agents', async () => {
    await using desk = await openDesk();
    const { admin } = desk.callers;
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    await admin.tickets.update({ ticketId: ticket.id, assigneeId: desk.users.agent.id });
    const unassigned = await admin.tickets.update({ ticketId: ticket.id, assigneeId: null });
    expect(unassigned.assignee).toBeNull();
    const thread = await admin.messages.list({ ticketId: ticket.id });
    expect(thread.items.at(-1)?.body).toBe(
      `${desk.users.agent.name} left the conversation (removed by ${desk.users.admin.name})`,
    );
    const [event] = (await ticketEvents(desk.db, ticket.id))
      .filter((e) => e.type === 'ticket.updated')
      .slice(-1);
    expect(event?.payload).toMatchObject({ assignee: null });

    const disabled = await createTestUser(desk.db, 'agent');
    await admin.users.update({ userId: disabled.id, disabled: true });
    for (const assigneeId of [desk.users.customerB.id, disabled.id, randomUUID()]) {
      const { code, error } = await failureOf(
        admin.tickets.update({ ticketId: ticket.id, assigneeId }),
      );
      expect(code).toBe('BAD_REQUEST');
      expect((error as { cause?: AppError }).cause?.details.fieldErrors).toEqual({
        assigneeId: ['Choose an active agent'],
      });
    }
  });

  it('refuses the ticket customer and leaves the ticket unchanged', async () => {
    await using desk = await openDesk();
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    const { code } = await failureOf(
      desk.callers.customerA.tickets.update({
        ticketId: ticket.id,
        status: 'closed',
        priority: 'urgent',
      }),
    );
    expect(code).toBe('FORBIDDEN');
    expect(await desk.callers.customerA.tickets.byId({ ticketId: ticket.id })).toEqual(ticket);
    expect(await ticketEvents(desk.db, ticket.id)).toHaveLength(1);
  });
});

describe('tickets.close, reopen and rate', () => {
  it('closes, reopens and rates with the rules of the lifecycle', async () => {
    await using desk = await openDesk();
    const { customerA, agent } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());

    expect((await failureOf(customerA.tickets.rate({ ticketId: ticket.id, score: 5 }))).code).toBe(
      'CONFLICT',
    );
    expect((await failureOf(customerA.tickets.reopen({ ticketId: ticket.id }))).code).toBe(
      'CONFLICT',
    );

    const closed = await customerA.tickets.close({ ticketId: ticket.id });
    expect(closed).toMatchObject({ status: 'closed' });
    expect(closed.closedAt).not.toBeNull();
    expect((await failureOf(agent.tickets.close({ ticketId: ticket.id }))).code).toBe('CONFLICT');

    const rated = await customerA.tickets.rate({
      ticketId: ticket.id,
      score: 2,
      comment: '  slow  ',
    });
    expect(rated.rating).toEqual({ score: 2, comment: 'slow' });
    const rerated = await customerA.tickets.rate({ ticketId: ticket.id, score: 5 });
    expect(rerated.rating).toEqual({ score: 5, comment: null });
    const ratedEvents = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) => e.type === 'ticket.rated',
    );
    expect(ratedEvents.map((e) => e.payload)).toEqual([{ score: 2 }, { score: 5 }]);

    const reopened = await customerA.tickets.reopen({ ticketId: ticket.id });
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, resolvedAt: null });
    const thread = await customerA.messages.list({ ticketId: ticket.id });
    expect(thread.items.map((m) => m.body)).toEqual([
      `Status changed to Closed by ${desk.users.customerA.name}`,
      `Status changed to Open by ${desk.users.customerA.name}`,
    ]);
  });
});

describe('tickets.close, reopen and rate limits', () => {
  it('counts the three together per user, with a retry hint, other users unaffected', async () => {
    await using desk = await openDesk({
      limits: { ticketActionsPerUser: { max: 3, windowSeconds: 600 } },
    });
    const { agent, customerA, customerB } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await customerA.tickets.close({ ticketId: ticket.id });
    await customerA.tickets.rate({ ticketId: ticket.id, score: 3 });
    await customerA.tickets.reopen({ ticketId: ticket.id });
    const before = (await ticketEvents(desk.db, ticket.id)).length;
    for (const attempt of [
      () => customerA.tickets.close({ ticketId: ticket.id }),
      () => customerA.tickets.reopen({ ticketId: ticket.id }),
      () => customerA.tickets.rate({ ticketId: ticket.id, score: 1 }),
    ]) {
      const { code, error } = await failureOf(attempt());
      expect(code).toBe('TOO_MANY_REQUESTS');
      const retry = (error as { cause?: AppError }).cause?.details.retryAfterSeconds ?? 0;
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(600);
    }
    expect(await ticketEvents(desk.db, ticket.id)).toHaveLength(before);
    // Another customer, and an agent on the same ticket, are not held back.
    const theirs = await customerB.tickets.create(ticketInput());
    await customerB.tickets.close({ ticketId: theirs.id });
    await agent.tickets.close({ ticketId: ticket.id });
  });
});

describe('tickets.list', () => {
  it('filters by status, priority, category, assignee and customer, and counts the total', async () => {
    await using desk = await openDesk();
    const { agent, admin, customerA, customerB } = desk.callers;
    const a1 = await customerA.tickets.create(
      ticketInput({ priority: 'urgent', category: 'payment' }),
    );
    const a2 = await customerA.tickets.create(ticketInput({ category: 'order' }));
    const b1 = await customerB.tickets.create(ticketInput({ priority: 'low' }));
    await agent.tickets.update({
      ticketId: a1.id,
      assigneeId: desk.users.agent.id,
      status: 'in_progress',
    });
    await agent.tickets.update({
      ticketId: b1.id,
      assigneeId: desk.users.admin.id,
      status: 'resolved',
    });

    const ids = async (input: Parameters<typeof agent.tickets.list>[0], caller = agent) => {
      const page = await caller.tickets.list(input);
      expect(page.total).toBe(page.items.length);
      return page.items.map((t) => t.id).sort();
    };
    const sorted = (...list: { id: string }[]) => list.map((t) => t.id).sort();
    expect(await ids({})).toEqual(sorted(a1, a2, b1));
    expect(await ids({ status: ['in_progress', 'resolved'] })).toEqual(sorted(a1, b1));
    expect(await ids({ priority: ['urgent', 'low'] })).toEqual(sorted(a1, b1));
    expect(await ids({ category: ['order'] })).toEqual(sorted(a2));
    expect(await ids({ assignee: 'me' })).toEqual(sorted(a1));
    expect(await ids({ assignee: 'me' }, admin)).toEqual(sorted(b1));
    expect(await ids({ assignee: 'unassigned' })).toEqual(sorted(a2));
    expect(await ids({ assignee: desk.users.admin.id })).toEqual(sorted(b1));
    expect(await ids({ customerId: desk.users.customerA.id })).toEqual(sorted(a1, a2));
    expect(await ids({ customerId: desk.users.customerA.id, status: ['open'] })).toEqual(
      sorted(a2),
    );
    expect(await ids({}, customerA)).toEqual(sorted(a1, a2));
    expect(await ids({ status: ['resolved'] }, customerB)).toEqual(sorted(b1));
  });

  it('sorts by updated, created and priority', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const low = await customerA.tickets.create(ticketInput({ priority: 'low' }));
    const urgent = await customerA.tickets.create(ticketInput({ priority: 'urgent' }));
    const high = await customerA.tickets.create(ticketInput({ priority: 'high' }));
    await agent.messages.send({
      ticketId: low.id,
      body: 'Looking into it',
      clientId: randomUUID(),
    });

    const order = async (sort: 'updated_desc' | 'created_desc' | 'priority_desc') =>
      (await agent.tickets.list({ sort })).items.map((t) => t.id);
    expect(await order('updated_desc')).toEqual([low.id, high.id, urgent.id]);
    expect(await order('created_desc')).toEqual([high.id, urgent.id, low.id]);
    expect(await order('priority_desc')).toEqual([urgent.id, high.id, low.id]);
  });

  it('gives each viewer their own unread count and last-message preview', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await customerA.messages.send({ ticketId: ticket.id, body: 'Hello?', clientId: randomUUID() });
    const reply = await agent.messages.send({
      ticketId: ticket.id,
      body: '  We are   on it,\n\n   sorry  for the wait. ',
      clientId: randomUUID(),
    });

    const [forCustomer] = (await customerA.tickets.list()).items;
    // The agent's reply; not their own message, nor the system line.
    expect(forCustomer).toMatchObject({
      unreadCount: 1,
      messageCount: 2,
      lastMessagePreview: 'We are on it, sorry for the wait.',
    });
    const [forAgent] = (await agent.tickets.list()).items;
    expect(forAgent).toMatchObject({ unreadCount: 1, messageCount: 2 });

    expect(await customerA.messages.markRead({ ticketId: ticket.id, seq: reply.seq })).toEqual({
      lastReadSeq: reply.seq,
    });
    expect((await customerA.tickets.byId({ ticketId: ticket.id })).unreadCount).toBe(0);
    await customerA.messages.markRead({ ticketId: ticket.id, seq: 3 });
    expect((await customerA.tickets.byId({ ticketId: ticket.id })).unreadCount).toBe(0);
  });

  it('refuses a cursor that was tampered with or made for another sort', async () => {
    await using desk = await openDesk();
    const { customerA } = desk.callers;
    await customerA.tickets.create(ticketInput());
    await customerA.tickets.create(ticketInput());
    const page = await customerA.tickets.list({ limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    for (const cursor of [`x${page.nextCursor}`, 'eyJ9', 'garbage']) {
      expect((await failureOf(customerA.tickets.list({ limit: 1, cursor }))).code).toBe(
        'BAD_REQUEST',
      );
    }
    const otherSort = await failureOf(
      customerA.tickets.list({ limit: 1, cursor: page.nextCursor!, sort: 'created_desc' }),
    );
    expect(otherSort.code).toBe('BAD_REQUEST');
  });
});

describe('tickets.list q (full text)', () => {
  it('finds a word that appears only in a message body, for an agent', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await customerA.tickets.create(ticketInput());
    await customerA.messages.send({
      ticketId: ticket.id,
      body: 'The courier left it with a neighbour called Bartholomew.',
      clientId: randomUUID(),
    });
    const found = await agent.tickets.list({ q: 'bartholomew' });
    expect(found.items.map((t) => t.id)).toEqual([ticket.id]);
    expect(found.total).toBe(1);
    // Stemmed: the plural finds the singular.
    expect((await agent.tickets.list({ q: 'neighbours' })).items.map((t) => t.id)).toEqual([
      ticket.id,
    ]);
    // Quoted phrases, and the owner finds it too.
    expect((await customerA.tickets.list({ q: '"called Bartholomew"' })).total).toBe(1);
    expect((await customerA.tickets.list({ q: '"Bartholomew called"' })).total).toBe(0);
  });

  it('searches subject, description, order reference and ticket number', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create({
      subject: 'Refund for the walnut desk',
      description: 'The drawer arrived cracked.',
      orderRef: 'ORD-77812',
    });
    await customerA.tickets.create(ticketInput());
    for (const q of [
      'walnut',
      'cracked drawer',
      'ORD-77812',
      `#${ticket.number}`,
      String(ticket.number),
    ]) {
      expect([q, (await agent.tickets.list({ q })).items.map((t) => t.id)]).toEqual([
        q,
        [ticket.id],
      ]);
    }
    expect((await agent.tickets.list({ q: 'the' })).total).toBe(0);
    expect((await agent.tickets.list({ q: 'walnut -drawer' })).total).toBe(0);
  });

  it("never matches another customer's ticket for a customer", async () => {
    await using desk = await openDesk();
    const { customerA, customerB } = desk.callers;
    const ofA = await customerA.tickets.create(ticketInput({ subject: 'Marmalade jar leaked' }));
    expect((await customerB.tickets.list({ q: 'marmalade' })).total).toBe(0);
    expect((await customerB.tickets.list({ q: String(ofA.number) })).total).toBe(0);
    expect((await customerA.tickets.list({ q: 'marmalade' })).items.map((t) => t.id)).toEqual([
      ofA.id,
    ]);
  });
});

describe('tickets.stats', () => {
  it('counts by status, urgency, assignment, response and resolution times, CSAT and days', async () => {
    await using desk = await openDesk();
    const { agent, customerA, customerB } = desk.callers;
    const urgent = await customerA.tickets.create(ticketInput({ priority: 'urgent' }));
    const mine = await customerA.tickets.create(ticketInput());
    const done = await customerB.tickets.create(ticketInput());
    await agent.tickets.update({ ticketId: mine.id, assigneeId: desk.users.agent.id });
    await agent.messages.send({
      ticketId: done.id,
      body: 'Fixed',
      clientId: randomUUID(),
      status: 'resolved',
    });
    await customerB.tickets.rate({ ticketId: done.id, score: 4 });
    await customerB.tickets.close({ ticketId: done.id });
    await customerA.tickets
      .create(ticketInput({ priority: 'urgent' }))
      .then((t) => agent.tickets.update({ ticketId: t.id, status: 'closed' }));

    // Pin the times so the averages are exact.
    await backdateTicket(desk.db, {
      id: done.id,
      secondsAgo: { createdAt: 2 * 3600, firstResponseAt: 3600, resolvedAt: 30 * 60 },
    });

    const stats = await agent.tickets.stats();
    expect(stats.byStatus).toEqual({
      open: 2,
      in_progress: 0,
      waiting_customer: 0,
      resolved: 0,
      closed: 2,
    });
    expect(stats.urgentOpen).toBe(1);
    expect(stats.unassigned).toBe(1);
    expect(stats.assignedToMe).toBe(1);
    expect(stats.avgFirstResponseSeconds).toBe(3600);
    // `done` took 90 minutes; the ticket closed without resolving counts as resolved at once.
    expect(stats.avgResolutionSeconds).toBeGreaterThan(2700);
    expect(stats.avgResolutionSeconds).toBeLessThan(2710);
    expect(stats.csat).toEqual({ average: 4, count: 1 });
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.at(-1)?.date).toBe(await databaseToday(desk.db));
    const sum = (key: 'created' | 'resolved') => stats.daily.reduce((n, d) => n + d[key], 0);
    expect([sum('created'), sum('resolved')]).toEqual([4, 2]);
    expect(urgent.priority).toBe('urgent');
  });
});
