import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeStaleResolvedTickets } from '../../domain/auto-close';
import { openDesk, ticketEvents, ticketInput } from '../../testing';

const reply = (ticketId: string, body: string) => ({ ticketId, body, clientId: randomUUID() });

describe('system lines', () => {
  it('are not counted: messageCount and unreadCount count the messages people wrote', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await agent.tickets.update({ ticketId: ticket.id, assigneeId: desk.users.agent.id });
    // The reply moves the ticket to "Waiting on customer" (a system line).
    await agent.messages.send(reply(ticket.id, 'It left our warehouse today.'));
    await agent.tickets.update({ ticketId: ticket.id, priority: 'high', category: 'order' });

    expect(await customerA.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      messageCount: 1,
      unreadCount: 1,
    });
    expect((await customerA.tickets.list()).items[0]).toMatchObject({
      messageCount: 1,
      unreadCount: 1,
      lastMessagePreview: 'It left our warehouse today.',
    });
    expect(await agent.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      messageCount: 1,
      unreadCount: 0,
    });
    await customerA.messages.send(reply(ticket.id, 'Thanks!'));
    expect(await agent.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      messageCount: 2,
      unreadCount: 1,
    });
  });

  it('name who made the change, and "Parley" for the auto-close', async () => {
    await using desk = await openDesk();
    const { agent, admin, customerA } = desk.callers;
    const { agent: dana, admin: ada, customerA: ana } = desk.users;
    const ticket = await customerA.tickets.create(ticketInput());
    await agent.tickets.update({ ticketId: ticket.id, assigneeId: dana.id, status: 'in_progress' });
    await customerA.tickets.close({ ticketId: ticket.id });
    await customerA.tickets.reopen({ ticketId: ticket.id });
    await admin.tickets.update({ ticketId: ticket.id, assigneeId: ada.id });
    await admin.tickets.update({ ticketId: ticket.id, status: 'resolved', priority: 'low' });
    await closeStaleResolvedTickets(desk.db, {
      afterDays: 7,
      now: new Date(Date.now() + 8 * 24 * 60 * 60 * 1000),
    });

    const thread = await agent.messages.list({ ticketId: ticket.id });
    expect(thread.items.map((m) => m.body)).toEqual([
      `${dana.name} joined the conversation`,
      `Status changed to In progress by ${dana.name}`,
      `Status changed to Closed by ${ana.name}`,
      `Status changed to Open by ${ana.name}`,
      `${ada.name} joined the conversation`,
      `Status changed to Resolved by ${ada.name}`,
      `Priority changed to Low by ${ada.name}`,
      'Status changed to Closed by Parley',
    ]);
    // An agent assigned or unassigned by someone else is named with who did it.
    await customerA.tickets.reopen({ ticketId: ticket.id });
    await admin.tickets.update({ ticketId: ticket.id, assigneeId: dana.id });
    await admin.tickets.update({ ticketId: ticket.id, assigneeId: null });
    const after = await agent.messages.list({
      ticketId: ticket.id,
      after: thread.items.at(-1)!.seq,
    });
    expect(after.items.map((m) => m.body)).toEqual([
      `Status changed to Open by ${ana.name}`,
      `${dana.name} joined the conversation (added by ${ada.name})`,
      `${dana.name} left the conversation (removed by ${ada.name})`,
    ]);
  });

  it('for the steps in between and for triage are for agents only, on every customer path', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const { agent: dana } = desk.users;
    const ticket = await customerA.tickets.create(ticketInput());
    await agent.tickets.update({ ticketId: ticket.id, assigneeId: dana.id, status: 'in_progress' });
    await agent.tickets.update({ ticketId: ticket.id, priority: 'urgent', category: 'payment' });
    await agent.messages.send(reply(ticket.id, 'Refund on its way.')); // → waiting on customer
    await customerA.messages.send(reply(ticket.id, 'Great, thanks')); // → in progress
    await agent.messages.send({ ...reply(ticket.id, 'Done.'), status: 'resolved' });
    await customerA.tickets.reopen({ ticketId: ticket.id });
    await customerA.tickets.close({ ticketId: ticket.id });

    const customerThread = await customerA.messages.list({ ticketId: ticket.id });
    expect(
      customerThread.items.filter((m) => m.author.role === 'system').map((m) => m.body),
    ).toEqual([
      `${dana.name} joined the conversation`,
      `Status changed to Resolved by ${dana.name}`,
      `Status changed to Open by ${desk.users.customerA.name}`,
      `Status changed to Closed by ${desk.users.customerA.name}`,
    ]);
    const agentSystem = (await agent.messages.list({ ticketId: ticket.id })).items
      .filter((m) => m.author.role === 'system')
      .map((m) => m.body);
    expect(agentSystem).toEqual([
      `${dana.name} joined the conversation`,
      `Status changed to In progress by ${dana.name}`,
      `Priority changed to Urgent by ${dana.name}`,
      `Category changed to Payment by ${dana.name}`,
      `Status changed to Waiting on customer by ${dana.name}`,
      `Status changed to In progress by ${desk.users.customerA.name}`,
      `Status changed to Resolved by ${dana.name}`,
      `Status changed to Open by ${desk.users.customerA.name}`,
      `Status changed to Closed by ${desk.users.customerA.name}`,
    ]);

    // Events for everyone carry only the lines the customer sees.
    const hidden = ['In progress', 'Waiting on customer', 'Priority changed', 'Category changed'];
    const forAll = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) => e.type === 'message.created' && e.audience === 'all',
    );
    const bodies = forAll.map((e) => (e.payload as { body: string }).body);
    expect(bodies.filter((b) => hidden.some((h) => b.includes(h)))).toEqual([]);
    expect(bodies).toContain(`Status changed to Resolved by ${dana.name}`);
    // Counts, unread and the preview.
    expect(await customerA.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      messageCount: 3,
      unreadCount: 2,
    });
    expect((await customerA.tickets.list()).items[0]?.lastMessagePreview).toBe('Done.');
  });

  it('a reopen withdraws the rating, from the ticket and from CSAT', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await agent.tickets.update({ ticketId: ticket.id, status: 'resolved' });
    await customerA.tickets.rate({ ticketId: ticket.id, score: 2, comment: 'Slow' });
    expect((await agent.tickets.stats()).csat).toEqual({ average: 2, count: 1 });

    const reopened = await customerA.tickets.reopen({ ticketId: ticket.id });
    expect(reopened.rating).toBeNull();
    expect((await agent.tickets.byId({ ticketId: ticket.id })).rating).toBeNull();
    expect((await agent.tickets.stats()).csat.count).toBe(0);
    const updated = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) => e.type === 'ticket.updated',
    );
    expect(updated.at(-1)?.payload).toMatchObject({ status: 'open', rating: null });

    // A customer's reply to a resolved ticket reopens it too.
    await agent.tickets.update({ ticketId: ticket.id, status: 'resolved' });
    await customerA.tickets.rate({ ticketId: ticket.id, score: 5 });
    await customerA.messages.send(reply(ticket.id, 'Actually, one more thing'));
    expect((await customerA.tickets.byId({ ticketId: ticket.id })).rating).toBeNull();
  });
});
