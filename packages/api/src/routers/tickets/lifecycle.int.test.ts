import { randomUUID } from 'node:crypto';
import { statuses } from '@parley/db';
import { backdateTicket } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { closeStaleResolvedTickets } from '../../domain/auto-close';
import { failureOf, openDesk, ticketEvents, ticketInput, type Desk } from '../../testing';

const say = (body: string) => ({ body, clientId: randomUUID() });

async function bodies(desk: Desk, ticketId: string) {
  return (await desk.callers.customerA.messages.list({ ticketId })).items.map((m) => m.body);
}

describe('replies move the ticket', () => {
  it("stamps the agent's first public reply and waits on the customer", async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const reply = await agent.messages.send({ ticketId: ticket.id, ...say('Which size?') });
    const after = await customerA.tickets.byId({ ticketId: ticket.id });
    expect(after).toMatchObject({ status: 'waiting_customer', firstResponseAt: reply.createdAt });
    // "Waiting on customer" is a step agents take: its line is theirs only.
    expect(await bodies(desk, ticket.id)).toEqual(['Which size?']);

    await customerA.messages.send({ ticketId: ticket.id, ...say('Large') });
    await agent.tickets.update({ ticketId: ticket.id, status: 'in_progress' });
    await agent.messages.send({ ticketId: ticket.id, ...say('Swapping it') });
    const later = await customerA.tickets.byId({ ticketId: ticket.id });
    expect(later).toMatchObject({ status: 'waiting_customer', firstResponseAt: reply.createdAt });

    const updates = (await ticketEvents(desk.db, ticket.id)).filter(
      (e) => e.type === 'ticket.updated',
    );
    expect(updates[0]?.payload).toEqual({
      status: 'waiting_customer',
      firstResponseAt: reply.createdAt,
      updatedAt: reply.createdAt,
    });
  });

  it('applies the status an agent sends with the reply instead', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const reply = await agent.messages.send({
      ticketId: ticket.id,
      ...say('Refunded'),
      status: 'resolved',
    });
    expect(await customerA.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      status: 'resolved',
      resolvedAt: reply.createdAt,
      firstResponseAt: reply.createdAt,
    });
    expect(await bodies(desk, ticket.id)).toEqual([
      'Refunded',
      `Status changed to Resolved by ${desk.users.agent.name}`,
    ]);
  });

  it('does not count an internal note as a response, nor move the ticket', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await agent.messages.send({ ticketId: ticket.id, ...say('VIP, be nice'), internal: true });
    expect(await customerA.tickets.byId({ ticketId: ticket.id })).toEqual(ticket);
    expect(await agent.tickets.byId({ ticketId: ticket.id })).toMatchObject({
      status: 'open',
      firstResponseAt: null,
      messageCount: 1,
    });
  });

  it('sends a waiting or resolved ticket back on a customer reply: open, or in progress when assigned', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const unassigned = await customerA.tickets.create(ticketInput());
    await agent.messages.send({ ticketId: unassigned.id, ...say('Photo please') });
    await customerA.messages.send({ ticketId: unassigned.id, ...say('Attached') });
    expect((await customerA.tickets.byId({ ticketId: unassigned.id })).status).toBe('open');

    const assigned = await customerA.tickets.create(ticketInput());
    await agent.tickets.update({
      ticketId: assigned.id,
      assigneeId: desk.users.agent.id,
      status: 'resolved',
    });
    expect((await customerA.tickets.byId({ ticketId: assigned.id })).resolvedAt).not.toBeNull();
    await customerA.messages.send({ ticketId: assigned.id, ...say('Still broken') });
    expect(await customerA.tickets.byId({ ticketId: assigned.id })).toMatchObject({
      status: 'in_progress',
      resolvedAt: null,
    });
    expect((await bodies(desk, assigned.id)).slice(-2)).toEqual([
      'Still broken',
      `Status changed to In progress by ${desk.users.customerA.name}`,
    ]);

    // Open and in-progress tickets stay where they are.
    await customerA.messages.send({ ticketId: assigned.id, ...say('Hello?') });
    expect((await customerA.tickets.byId({ ticketId: assigned.id })).status).toBe('in_progress');
  });
});

describe('status moves', () => {
  it('sets and clears resolvedAt and closedAt as the status moves', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const resolved = await agent.tickets.update({ ticketId: ticket.id, status: 'resolved' });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.closedAt).toBeNull();
    const closed = await agent.tickets.update({ ticketId: ticket.id, status: 'closed' });
    expect(closed.resolvedAt).toBe(resolved.resolvedAt);
    expect(closed.closedAt).not.toBeNull();
    const reopened = await customerA.tickets.reopen({ ticketId: ticket.id });
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
    const closedDirectly = await customerA.tickets.close({ ticketId: ticket.id });
    expect(closedDirectly.resolvedAt).toBe(closedDirectly.closedAt);
  });

  it('lets agents set any status, each with a status message (the customer sees those that matter to them)', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    const path = [
      'closed',
      'in_progress',
      'resolved',
      'waiting_customer',
      'open',
      'resolved',
      'open',
    ] as const;
    for (const status of path) {
      expect((await agent.tickets.update({ ticketId: ticket.id, status })).status).toBe(status);
    }
    expect(new Set(path)).toEqual(new Set(statuses));
    const by = desk.users.agent.name;
    const texts = await bodies(desk, ticket.id);
    // Waiting on customer → Open is a step between agents and customer; the rest close,
    // resolve or reopen the ticket.
    expect(texts).toEqual([
      `Status changed to Closed by ${by}`,
      `Status changed to In progress by ${by}`,
      `Status changed to Resolved by ${by}`,
      `Status changed to Waiting on customer by ${by}`,
      `Status changed to Resolved by ${by}`,
      `Status changed to Open by ${by}`,
    ]);
  });

  it('lets customers close their ticket from any status and reopen a resolved or closed one', async () => {
    await using desk = await openDesk();
    const { agent, customerA } = desk.callers;
    for (const status of ['open', 'in_progress', 'waiting_customer', 'resolved'] as const) {
      const ticket = await customerA.tickets.create(ticketInput());
      if (status !== 'open') await agent.tickets.update({ ticketId: ticket.id, status });
      expect((await customerA.tickets.close({ ticketId: ticket.id })).status).toBe('closed');
      expect((await customerA.tickets.reopen({ ticketId: ticket.id })).status).toBe('open');
      expect((await failureOf(customerA.tickets.reopen({ ticketId: ticket.id }))).code).toBe(
        'CONFLICT',
      );
    }
  });
});

describe('auto-close', () => {
  async function resolvedTicket(desk: Desk, daysAgo: number) {
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    await desk.callers.agent.tickets.update({ ticketId: ticket.id, status: 'resolved' });
    await backdateTicket(desk.db, { id: ticket.id, secondsAgo: { resolvedAt: daysAgo * 86_400 } });
    return ticket;
  }

  it('closes tickets resolved longer than the configured days ago, with a status message and events', async () => {
    await using desk = await openDesk();
    const stale = await resolvedTicket(desk, 8);
    const recent = await resolvedTicket(desk, 6);
    const open = await desk.callers.customerA.tickets.create(ticketInput());

    expect(await closeStaleResolvedTickets(desk.db, { afterDays: 7 })).toBe(1);
    const closed = await desk.callers.customerA.tickets.byId({ ticketId: stale.id });
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    const thread = await desk.callers.customerA.messages.list({ ticketId: stale.id });
    expect(thread.items.at(-1)).toMatchObject({
      body: 'Status changed to Closed by Parley',
      author: { id: null, name: 'Parley', role: 'system' },
      internal: false,
    });
    const [message, update] = (await ticketEvents(desk.db, stale.id)).slice(-2);
    expect(message).toMatchObject({ type: 'message.created', audience: 'all' });
    expect(update).toMatchObject({ type: 'ticket.updated', audience: 'all' });
    expect(update?.payload).toMatchObject({ status: 'closed', closedAt: closed.closedAt });

    expect((await desk.callers.customerA.tickets.byId({ ticketId: recent.id })).status).toBe(
      'resolved',
    );
    expect((await desk.callers.customerA.tickets.byId({ ticketId: open.id })).status).toBe('open');
    // Configurable: with 5 days the 6-day-old one goes too; then nothing is left.
    expect(await closeStaleResolvedTickets(desk.db, { afterDays: 5 })).toBe(1);
    expect(await closeStaleResolvedTickets(desk.db, { afterDays: 5 })).toBe(0);
  });

  it('takes a clock, so a test need not wait a week', async () => {
    await using desk = await openDesk();
    const ticket = await resolvedTicket(desk, 0);
    const inEightDays = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    expect(await closeStaleResolvedTickets(desk.db, { afterDays: 7, now: new Date() })).toBe(0);
    expect(await closeStaleResolvedTickets(desk.db, { afterDays: 7, now: inEightDays })).toBe(1);
    expect((await desk.callers.agent.tickets.byId({ ticketId: ticket.id })).closedAt).toBe(
      inEightDays.toISOString(),
    );
  });

  it('leaves a ticket the customer replied to: the reply reopened it', async () => {
    await using desk = await openDesk();
    const ticket = await resolvedTicket(desk, 8);
    await desk.callers.customerA.messages.send({ ticketId: ticket.id, ...say('It broke again') });
    expect(await closeStaleResolvedTickets(desk.db, { afterDays: 7 })).toBe(0);
    expect((await desk.callers.customerA.tickets.byId({ ticketId: ticket.id })).status).toBe(
      'open',
    );
  });

  it('closes each ticket once when several processes sweep at the same time', async () => {
    await using desk = await openDesk();
    const stale = await Promise.all(Array.from({ length: 12 }, () => resolvedTicket(desk, 10)));
    const counts = await Promise.all(
      Array.from({ length: 4 }, () =>
        closeStaleResolvedTickets(desk.db, { afterDays: 7, batchSize: 3 }),
      ),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    for (const ticket of stale) {
      const texts = await bodies(desk, ticket.id);
      expect(texts.filter((t) => t === 'Status changed to Closed by Parley')).toHaveLength(1);
    }
  });
});
