import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDesk, ticketInput } from '../../testing';

describe('sending and reading one ticket at the same time', () => {
  // Regression: send held the ticket row FOR UPDATE while waiting for the event-id lock,
  // and markRead, holding that lock, waited on the ticket row for its event's foreign-key
  // check (KEY SHARE, which FOR UPDATE blocks): Postgres aborted one with 40P01.
  it('never deadlocks: every send and markRead succeeds', async () => {
    await using desk = await openDesk();
    const { customerA, agent } = desk.callers;
    const ticket = await customerA.tickets.create(ticketInput());
    await agent.tickets.update({ ticketId: ticket.id, assigneeId: desk.users.agent.id });
    const failures: unknown[] = [];
    for (let round = 0; round < 25; round++) {
      const results = await Promise.allSettled([
        customerA.messages.send({ ticketId: ticket.id, body: `c${round}`, clientId: randomUUID() }),
        agent.messages.markRead({ ticketId: ticket.id, seq: 100_000 }),
        customerA.messages.markRead({ ticketId: ticket.id, seq: 100_000 }),
        agent.messages.send({ ticketId: ticket.id, body: `a${round}`, clientId: randomUUID() }),
      ]);
      for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
    }
    expect(failures).toEqual([]);
    const thread = await agent.messages.list({ ticketId: ticket.id, limit: 200 });
    expect(thread.items.filter((m) => m.author.role !== 'system')).toHaveLength(50);
  });
});
