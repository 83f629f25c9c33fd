import { randomUUID } from 'node:crypto';
import { closeDb, createDb, tickets } from '@parley/db';
import { createTestDatabase } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestUser, signedInCaller, testServices, ticketInput } from '../testing';

/** Two server processes over one database: each has its own pool, so its own stats cache. */
async function twoProcesses() {
  const test = await createTestDatabase();
  const other = createDb(test.url, { max: 4 });
  const [one, two] = [testServices(test.db), testServices(other)];
  const [agent, otherAgent, customer] = [
    await createTestUser(test.db, 'agent'),
    await createTestUser(test.db, 'agent'),
    await createTestUser(test.db, 'customer'),
  ];
  return {
    db: test.db,
    /** The agent asking for stats through process one. */
    agentOnOne: (await signedInCaller(one, agent.id)).caller,
    otherAgentOnOne: (await signedInCaller(one, otherAgent.id)).caller,
    /** Changes made through process two. */
    agentOnTwo: (await signedInCaller(two, agent.id)).caller,
    customerOnTwo: (await signedInCaller(two, customer.id)).caller,
    agentId: agent.id,
    customerId: customer.id,
    async [Symbol.asyncDispose]() {
      await one.hub.close();
      await two.hub.close();
      await closeDb(other);
      await test[Symbol.asyncDispose]();
    },
  };
}

describe('tickets.stats kept per process', () => {
  it('counts a change made through another process at once', async () => {
    await using desk = await twoProcesses();
    const { agentOnOne, agentOnTwo, customerOnTwo } = desk;
    expect((await agentOnOne.tickets.stats()).byStatus.open).toBe(0);

    const ticket = await customerOnTwo.tickets.create(ticketInput({ priority: 'urgent' }));
    const afterCreate = await agentOnOne.tickets.stats();
    expect(afterCreate.byStatus.open).toBe(1);
    expect(afterCreate.urgentOpen).toBe(1);

    // A message alone changes nothing counted: the same figures.
    await customerOnTwo.messages.send({
      ticketId: ticket.id,
      body: 'Hello?',
      clientId: randomUUID(),
    });
    expect(await agentOnOne.tickets.stats()).toEqual(afterCreate);

    await agentOnTwo.messages.send({
      ticketId: ticket.id,
      body: 'Sorted',
      clientId: randomUUID(),
      status: 'resolved',
    });
    const afterResolve = await agentOnOne.tickets.stats();
    expect(afterResolve.byStatus).toMatchObject({ open: 0, resolved: 1 });
    expect(afterResolve.avgFirstResponseSeconds).not.toBeNull();

    await customerOnTwo.tickets.rate({ ticketId: ticket.id, score: 5 });
    expect((await agentOnOne.tickets.stats()).csat).toEqual({ average: 5, count: 1 });
  });

  it('keeps assignedToMe per agent', async () => {
    await using desk = await twoProcesses();
    const { agentOnOne, otherAgentOnOne, agentOnTwo, customerOnTwo } = desk;
    const ticket = await customerOnTwo.tickets.create(ticketInput());
    expect((await agentOnOne.tickets.stats()).assignedToMe).toBe(0);
    expect((await otherAgentOnOne.tickets.stats()).assignedToMe).toBe(0);

    await agentOnTwo.tickets.update({ ticketId: ticket.id, assigneeId: desk.agentId });
    expect((await agentOnOne.tickets.stats()).assignedToMe).toBe(1);
    expect((await otherAgentOnOne.tickets.stats()).assignedToMe).toBe(0);
    expect((await agentOnOne.tickets.stats()).unassigned).toBe(0);
  });

  it('counts tickets inserted without events (as the seed writes them)', async () => {
    await using desk = await twoProcesses();
    expect((await desk.agentOnOne.tickets.stats()).byStatus.open).toBe(0);
    await desk.db.insert(tickets).values({
      subject: 'Seeded',
      description: 'Written straight to the table',
      customerId: desk.customerId,
    });
    expect((await desk.agentOnOne.tickets.stats()).byStatus.open).toBe(1);
  });
});
