import { randomUUID } from 'node:crypto';
import { priorities, statuses } from '@parley/db';
import { seedDemoData } from '@parley/db/seed';
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

  it('keeps a ticket that moves during paging at the place it had on page one', async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 12);
    const { agent } = desk.callers;
    for (const sort of ['updated_desc', 'priority_desc'] as const) {
      const before = (await agent.tickets.list({ sort, limit: 100 })).items.map((t) => t.id);
      // After page one: the first ticket listed drops to the end, the last one rises to
      // the top. Either would be listed twice or never if pages followed current values.
      const [first, last] = [before[0]!, before[before.length - 1]!];
      const { ids } = await pageThrough(agent, { sort, limit: 4 }, async (page) => {
        if (page !== 0) return;
        await agent.tickets.update({ ticketId: first, priority: 'low' });
        await agent.tickets.update({ ticketId: last, priority: 'urgent' });
        await agent.messages.send({ ticketId: last, body: 'bump', clientId: randomUUID() });
      });
      expect(ids).toEqual(before);
      expect(ids.slice().sort()).toEqual(all.slice().sort());
    }
  });

  it('lists every ticket exactly once, filtered or not, while another task updates them', async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 40);
    const { agent } = desk.callers;
    const filters: Array<{ status?: Array<(typeof statuses)[number]> }> = [
      {},
      { status: ['open', 'in_progress'] },
    ];
    for (const sort of ['updated_desc', 'created_desc', 'priority_desc'] as const) {
      for (const filter of filters) {
        const input = { sort, limit: 3, ...filter };
        // Nothing changes until page one is read, so this is the snapshot's listing.
        const expected = (await agent.tickets.list({ ...input, limit: 100 })).items.map(
          (t) => t.id,
        );
        let paging = true;
        let updates = 0;
        let firstPageDone!: () => void;
        const started = new Promise<void>((resolve) => (firstPageDone = resolve));
        const updater = (async () => {
          await started;
          for (let i = 0; paging; i++, updates++) {
            const ticketId = all[(i * 7) % all.length]!;
            if (i % 2)
              await agent.tickets.update({
                ticketId,
                priority: priorities[i % 4],
                status: statuses[i % 5],
              });
            else
              await agent.messages.send({ ticketId, body: `update ${i}`, clientId: randomUUID() });
          }
        })();
        const { ids } = await pageThrough(agent, input, async (page) => {
          if (page === 0) firstPageDone();
          // Give the updater room to run between pages.
          await new Promise((resolve) => setTimeout(resolve, 5));
        });
        paging = false;
        await updater;

        expect(updates).toBeGreaterThan(0);
        expect(duplicates(ids)).toEqual([]);
        expect(ids.slice().sort()).toEqual(expected.slice().sort());
      }
    }
  });

  it('leaves out tickets created after page one', async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 6);
    const { agent } = desk.callers;
    const { ids } = await pageThrough(agent, { sort: 'priority_desc', limit: 2 }, async (page) => {
      if (page === 0) await manyTickets(desk, 3);
    });
    expect(ids.slice().sort()).toEqual(all.slice().sort());
  });

  it('keeps the place of seeded tickets (no logged history) changed after page one', async () => {
    await using desk = await openDesk();
    await seedDemoData(desk.db, { tickets: 20, passwordHash: 'not-a-real-hash', seed: 3 });
    const { agent } = desk.callers;
    for (const sort of ['updated_desc', 'priority_desc'] as const) {
      const before = (await agent.tickets.list({ sort, limit: 100 })).items.map((t) => t.id);
      const { ids } = await pageThrough(agent, { sort, limit: 6 }, async (page) => {
        if (page !== 0) return;
        for (const ticketId of before.slice(-3)) {
          await agent.tickets.update({ ticketId, priority: 'urgent' });
        }
      });
      expect(ids).toEqual(before);
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

  it("takes the cursor and direction tRPC's useInfiniteQuery sends", async () => {
    await using desk = await openDesk();
    const all = await manyTickets(desk, 3);
    const { agent } = desk.callers;
    const first = await agent.tickets.list({ limit: 2, cursor: null, direction: 'forward' });
    const second = await agent.tickets.list({
      limit: 2,
      cursor: first.nextCursor,
      direction: 'forward',
    });
    expect([...first.items, ...second.items].map((t) => t.id).sort()).toEqual(all.sort());
    expect(second.nextCursor).toBeNull();
  });
});
