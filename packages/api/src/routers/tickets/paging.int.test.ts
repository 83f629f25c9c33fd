import { randomUUID } from 'node:crypto';
import { priorities, statuses } from '@parley/db';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../testing';
import { openDesk, ticketInput, type Desk } from '../../testing';

type Sort = 'updated_desc' | 'created_desc' | 'priority_desc';

/** Every page of a listing, following nextCursor to the end. */
async function pageThrough(
  caller: Caller,
  input: { sort: Sort; limit: number },
  betweenPages: (page: number) => Promise<void> = async () => {},
) {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    const result = await caller.tickets.list({ ...input, ...(cursor ? { cursor } : {}) });
    ids.push(...result.items.map((t) => t.id));
    totals.push(result.total);
    if (!result.nextCursor) return { ids, totals };
    cursor = result.nextCursor;
    await betweenPages(page);
  }
}

async function manyTickets(desk: Desk, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = i % 2 ? desk.users.customerA : desk.users.customerB;
    const ticket = await desk.callers.agent.tickets.create(
      ticketInput({ customerId: customer.id, priority: priorities[i % priorities.length] }),
    );
    ids.push(ticket.id);
  }
  return ids;
}

const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe('keyset paging', () => {
  it('lists every ticket exactly once when nothing changes, in every order', async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 23);
    for (const sort of ['updated_desc', 'created_desc', 'priority_desc'] as const) {
      const { ids, totals } = await pageThrough(desk.callers.agent, { sort, limit: 5 });
      expect(ids.slice().sort()).toEqual(all.slice().sort());
      expect(new Set(totals)).toEqual(new Set([23]));
    }
  });

  it('never lists a ticket twice when it moves behind the cursor, and keeps the ones that did not move', async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 12);
    const { agent } = desk.callers;
    let moved: string | undefined;
    const { ids } = await pageThrough(agent, { sort: 'priority_desc', limit: 4 }, async (page) => {
      if (page !== 0) return;
      // The first ticket listed (urgent) drops to low: it now sorts after the cursor.
      const first = (await agent.tickets.list({ sort: 'priority_desc', limit: 1 })).items[0]!;
      moved = first.id;
      await agent.tickets.update({ ticketId: first.id, priority: 'low' });
    });
    expect(duplicates(ids)).toEqual([]);
    expect(ids.filter((id) => id === moved)).toHaveLength(1);
    expect(ids.slice().sort()).toEqual(all.slice().sort());
  });

  it('keeps lists of tickets exactly once while another task updates them', async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 40);
    const { agent } = desk.callers;

    // The updater only touches half of the tickets, so "every untouched ticket exactly
    // once" always has tickets to check.
    const mutable = all.filter((_, i) => i % 2 === 0);
    for (const sort of ['updated_desc', 'created_desc', 'priority_desc'] as const) {
      const touched = new Set<string>();
      let paging = true;
      let firstPageDone!: () => void;
      const started = new Promise<void>((resolve) => (firstPageDone = resolve));
      const updater = (async () => {
        await started;
        for (let i = 0; paging; i++) {
          const ticketId = mutable[(i * 7) % mutable.length]!;
          touched.add(ticketId);
          if (i % 2)
            await agent.tickets.update({
              ticketId,
              priority: priorities[i % 4],
              status: statuses[i % 5],
            });
          else await agent.messages.send({ ticketId, body: `update ${i}`, clientId: randomUUID() });
        }
      })();
      const { ids } = await pageThrough(agent, { sort, limit: 3 }, async (page) => {
        if (page === 0) firstPageDone();
        // Give the updater room to run between pages.
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
      paging = false;
      await updater;

      expect(touched.size).toBeGreaterThan(0);
      expect(duplicates(ids)).toEqual([]);
      if (sort === 'created_desc') {
        // An immutable key: updates move nothing, every ticket comes exactly once.
        expect(ids.slice().sort()).toEqual(all.slice().sort());
      } else {
        // A ticket changed during paging comes at most once (the live inbox reports it);
        // every other ticket exactly once.
        const untouched = all.filter((id) => !touched.has(id));
        expect(untouched.length).toBeGreaterThanOrEqual(all.length / 2);
        expect(untouched.filter((id) => !ids.includes(id))).toEqual([]);
        expect(ids.every((id) => all.includes(id))).toBe(true);
      }
    }
  });

  it("does not let an internal note hide a customer's ticket from their paging", async () => {
    await using desk = await openDesk();
    await manyTickets(desk, 12);
    const { agent, customerA } = desk.callers;
    const mine = (await customerA.tickets.list({ limit: 100 })).items.map((t) => t.id);
    const { ids } = await pageThrough(
      customerA,
      { sort: 'updated_desc', limit: 2 },
      async (page) => {
        if (page === 0) {
          for (const ticketId of mine) {
            await agent.messages.send({
              ticketId,
              body: 'note',
              clientId: randomUUID(),
              internal: true,
            });
          }
        }
      },
    );
    expect(ids).toEqual(mine);
  });
});
