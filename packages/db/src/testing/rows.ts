import { asc, count, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  events,
  guestSessions,
  messages,
  tickets,
  type EventRow,
  type GuestSessionRow,
  type MessageRow,
  type TicketRow,
} from '../schema';

// Reads and writes tests make behind the API's back: to check what was stored, or to
// move a ticket's times into the past.

export async function ticketRows(db: DbOrTx, params: { id: string }): Promise<TicketRow[]> {
  return db.select().from(tickets).where(eq(tickets.id, params.id));
}

/** Tickets in the database, or those a customer created with `clientId`. */
export async function countTickets(
  db: DbOrTx,
  params: { clientId?: string } = {},
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(tickets)
    .where(params.clientId === undefined ? undefined : eq(tickets.clientId, params.clientId));
  return row?.n ?? 0;
}

/** A ticket's messages in `seq` order, or the messages sent with `clientId`. */
export async function messageRows(
  db: DbOrTx,
  params: { ticketId: string } | { clientId: string },
): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(
      'ticketId' in params
        ? eq(messages.ticketId, params.ticketId)
        : eq(messages.clientId, params.clientId),
    )
    .orderBy(asc(messages.seq));
}

/** The logged events of a ticket, oldest first. */
export async function eventRows(db: DbOrTx, params: { ticketId: string }): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(eq(events.ticketId, params.ticketId))
    .orderBy(asc(events.id));
}

type BackdatedColumn = 'createdAt' | 'firstResponseAt' | 'resolvedAt';

/** Sets some of a ticket's times to that many seconds before the database's now(). */
export async function backdateTicket(
  db: DbOrTx,
  params: { id: string; secondsAgo: Partial<Record<BackdatedColumn, number>> },
): Promise<void> {
  const changes = Object.fromEntries(
    Object.entries(params.secondsAgo).map(([column, seconds]) => [
      column,
      sql`now() - make_interval(secs => ${seconds})`,
    ]),
  ) as Partial<Record<BackdatedColumn, ReturnType<typeof sql>>>;
  await db.update(tickets).set(changes).where(eq(tickets.id, params.id));
}

/** The database's current date in UTC, as `YYYY-MM-DD`. */
export async function databaseToday(db: DbOrTx): Promise<string> {
  const { rows } = await db.execute<{ today: string }>(
    sql`select ((now() at time zone 'UTC')::date)::text as today`,
  );
  return rows[0]?.today ?? '';
}

/** Guest sessions of a contact, or the one stored under `id` (a token hash). */
export async function guestSessionRows(
  db: DbOrTx,
  params: { userId: string } | { id: string },
): Promise<GuestSessionRow[]> {
  return db
    .select()
    .from(guestSessions)
    .where(
      'userId' in params
        ? eq(guestSessions.userId, params.userId)
        : eq(guestSessions.id, params.id),
    );
}

/** Moves every guest session's expiry into the past. */
export async function expireGuestSessions(db: DbOrTx): Promise<void> {
  await db.update(guestSessions).set({ expiresAt: sql`now() - interval '1 second'` });
}
