import { randomUUID } from 'node:crypto';
import { getVisibleTicket, type Db } from '@parley/db';
import { messageRows, ticketRows } from '@parley/db/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendMessage } from '../../domain/message-service';
import { openDesk, ticketInput } from '../../testing';

/** The text of every statement `db`'s pool sends to Postgres while `fn` runs. */
async function statementsOf(db: Db, fn: () => Promise<unknown>): Promise<string[]> {
  const texts: string[] = [];
  const pooled = await db.$client.connect();
  const client = Object.getPrototypeOf(pooled) as { query: (...args: unknown[]) => unknown };
  pooled.release();
  const original = client.query;
  const spy = vi.spyOn(client, 'query').mockImplementation(function (this: unknown, ...args) {
    const [config] = args;
    texts.push(typeof config === 'string' ? config : String((config as { text?: unknown }).text));
    return original.apply(this, args);
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return texts;
}

type Desk = Awaited<ReturnType<typeof openDesk>>;

/** Customer A's access check of a ticket, as `onTicket` does it: the row and its version. */
async function readAsCustomerA(desk: Desk, ticketId: string) {
  const { customerA } = desk.users;
  const viewer = { id: customerA.id, name: customerA.name, role: customerA.role };
  const seen = await getVisibleTicket(desk.db, { viewer, ticketId });
  if (!seen) throw new Error('ticket not visible');
  return { viewer, seen };
}

/** Customer A's send, written from that earlier read (whatever happened since). */
function sendFromRead(desk: Desk, read: Awaited<ReturnType<typeof readAsCustomerA>>, body: string) {
  return sendMessage(
    {
      db: desk.db,
      limits: desk.services.limits,
      ticket: read.seen.ticket,
      ticketVersion: read.seen.version,
    },
    read.viewer,
    { ticketId: read.seen.ticket.id, body, clientId: randomUUID() },
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('messages.send on the fast path (issue 12)', () => {
  it('sends a plain message in three round trips: access, clientId and limit, one write batch', async () => {
    await using desk = await openDesk();
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    const texts = await statementsOf(desk.db, () =>
      desk.callers.customerA.messages.send({
        ticketId: ticket.id,
        body: 'Any news?',
        clientId: randomUUID(),
      }),
    );
    expect(texts.filter((t) => /^\s*begin/i.test(t))).toEqual([]);
    const writes = texts.filter((t) => t.includes('insert into "messages"'));
    expect(writes).toHaveLength(1);
    // The claim of the ticket as read, then the writes, in the same simple query.
    expect(writes[0]).toMatch(/^select parley_claim_ticket\(/);
    expect(writes[0]).toContain('insert into "events"');
    // The access check, the clientId lookup with the rate limit's hit, and the batch.
    expect(texts).toHaveLength(3);
  });

  it('writes under the lock, from the ticket as it is now, when it changed after the access check', async () => {
    await using desk = await openDesk();
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    const read = await readAsCustomerA(desk, ticket.id);

    // Between the customer's access check and the write: an agent replies and re-prioritises.
    await desk.callers.agent.messages.send({
      ticketId: ticket.id,
      body: 'Looking into it',
      clientId: randomUUID(),
    });
    await desk.callers.agent.tickets.update({ ticketId: ticket.id, priority: 'urgent' });
    const [before] = await ticketRows(desk.db, { id: ticket.id });

    // The failed claim is an answer, not a broken connection: the pool keeps it.
    const discarded: unknown[] = [];
    desk.db.$client.on('remove', (client) => discarded.push(client));
    const message = await sendFromRead(desk, read, 'Thanks!');

    const rows = await messageRows(desk.db, { ticketId: ticket.id });
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(message.seq).toBe((before?.lastSeq ?? -1) + 1);
    const [after] = await ticketRows(desk.db, { id: ticket.id });
    expect(after?.lastSeq).toBe(rows.length);
    expect(after?.messageCount).toBe((before?.messageCount ?? 0) + 1);
    // Not the stale row's values written back.
    expect(after?.priority).toBe('urgent');
    expect(after?.assigneeId).toBe(before?.assigneeId);
    expect(discarded).toEqual([]);
  });

  it('decides a refusal on the locked row: a reply to a ticket reopened after the access check is stored', async () => {
    await using desk = await openDesk();
    const ticket = await desk.callers.customerA.tickets.create(ticketInput());
    await desk.callers.customerA.tickets.close({ ticketId: ticket.id });
    const read = await readAsCustomerA(desk, ticket.id);
    expect(read.seen.ticket.status).toBe('closed');
    await desk.callers.customerA.tickets.reopen({ ticketId: ticket.id });

    const message = await sendFromRead(desk, read, 'One more thing');
    const rows = await messageRows(desk.db, { ticketId: ticket.id });
    expect(rows.map((r) => r.id)).toContain(message.id);
  });
});
