import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import type { TicketVersion } from '../at-commit';
import { prepared } from '../prepared';
import {
  ticketSearch,
  tickets,
  type BotState,
  type Category,
  type Channel,
  type Priority,
  type TicketRow,
} from '../schema';
import { isAgent, type Viewer } from '../viewer';

/** A ticket locked (FOR NO KEY UPDATE) until the transaction ends, and the database's clock. */
export type LockedTicket = { ticket: TicketRow; now: Date };

/**
 * Locks a ticket by id. Who may see it was decided before (the API's ticket-access
 * middleware; a ticket's customer never changes). Every change to a ticket's thread or
 * fields happens under this lock, so per-ticket `seq` values are handed out in commit
 * order. `now` is the database clock, used for every timestamp the transaction writes so
 * they agree with each other across server processes.
 */
export async function lockTicket(
  tx: DbOrTx,
  params: { ticketId: string },
): Promise<LockedTicket | undefined> {
  const query = prepared(tx, 'lock_ticket', (db) =>
    db
      .select({ ticket: tickets, now: sql<Date>`now()`.mapWith(tickets.createdAt) })
      .from(tickets)
      .where(eq(tickets.id, sql.placeholder('ticketId')))
      // NO KEY UPDATE, not UPDATE: it still serializes writers of this ticket, but lets the
      // foreign-key checks of other transactions' event inserts (KEY SHARE) through. With
      // FOR UPDATE, a writer waiting here for the event-id lock and a markRead holding that
      // lock while its event's FK check waited on this row deadlocked.
      .for('no key update')
      .prepare('lock_ticket'),
  );
  const [row] = await query.execute({ ticketId: params.ticketId });
  return row;
}

/** The database's clock (the transaction's start time inside a transaction). */
export async function databaseNow(db: DbOrTx): Promise<Date> {
  const [row] = await db
    .select({ now: sql<Date>`now()`.mapWith(tickets.createdAt) })
    .from(sql`(select 1) as one`);
  if (!row) throw new Error('select now() returned nothing');
  return row.now;
}

/** A ticket as `getVisibleTicket` read it, with its version for `writeIfTicketUnchanged`. */
export type VisibleTicket = { ticket: TicketRow; version: TicketVersion };

const visibleColumns = {
  ticket: tickets,
  version: sql<string>`xmin::text`,
  readAt: sql<Date>`now()`.mapWith(tickets.createdAt),
};

/**
 * A ticket the viewer may see (any, for agents; their own, for customers; a widget
 * guest's own chat), unlocked: the one rule of ticket access. Prepared once per variant.
 */
export async function getVisibleTicket(
  db: DbOrTx,
  params: { viewer: Viewer; ticketId: string },
): Promise<VisibleTicket | undefined> {
  const { viewer, ticketId } = params;
  const byId = eq(tickets.id, sql.placeholder('ticketId'));
  const byCustomer = eq(tickets.customerId, sql.placeholder('customerId'));
  const query = isAgent(viewer)
    ? prepared(db, 'visible_ticket_agent', (handle) =>
        handle.select(visibleColumns).from(tickets).where(byId).prepare('visible_ticket_agent'),
      )
    : viewer.guestSessionId === undefined
      ? prepared(db, 'visible_ticket_customer', (handle) =>
          handle
            .select(visibleColumns)
            .from(tickets)
            .where(and(byId, byCustomer))
            .prepare('visible_ticket_customer'),
        )
      : prepared(db, 'visible_ticket_guest', (handle) =>
          handle
            .select(visibleColumns)
            .from(tickets)
            .where(
              and(byId, byCustomer, eq(tickets.guestSessionId, sql.placeholder('guestSessionId'))),
            )
            .prepare('visible_ticket_guest'),
        );
  const [row] = await query.execute({
    ticketId,
    customerId: viewer.id,
    guestSessionId: viewer.guestSessionId ?? null,
  });
  return (
    row && { ticket: row.ticket, version: { ticketId, version: row.version, readAt: row.readAt } }
  );
}

export async function findTicketByClientId(
  db: DbOrTx,
  params: { customerId: string; clientId: string },
): Promise<TicketRow | undefined> {
  const { customerId, clientId } = params;
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.customerId, customerId), eq(tickets.clientId, clientId)))
    .limit(1);
  return row;
}

export type NewTicket = {
  subject: string;
  description: string;
  category: Category;
  priority: Priority;
  orderRef: string | null;
  customerId: string;
  clientId: string | null;
  /** Default `portal`. */
  channel?: Channel;
  /** Widget chats: where it came from. */
  widgetId?: string | null;
  guestSessionId?: string | null;
  pageUrl?: string | null;
  userAgent?: string | null;
  country?: string | null;
  /** `active`: the bot answers this widget chat first. Default `none`. */
  botState?: BotState;
};

/**
 * Inserts a ticket and its search row. Returns undefined when the customer already
 * has a ticket with this `clientId` (a concurrent duplicate create).
 */
export async function insertTicket(tx: DbOrTx, ticket: NewTicket): Promise<TicketRow | undefined> {
  const [row] = await tx
    .insert(tickets)
    .values(ticket)
    .onConflictDoNothing({ target: [tickets.customerId, tickets.clientId] })
    .returning();
  if (!row) return undefined;
  await tx.insert(ticketSearch).values({
    ticketId: row.id,
    public: sql`parley_ticket_tsv(${row.subject}, ${row.description}, ${row.orderRef})`,
  });
  return row;
}

/**
 * Hands a widget chat to another guest session of the same visitor: a `widget.start`
 * retried with the same `clientId` (its first answer was lost) gets a new session,
 * which must see the conversation.
 */
export async function moveTicketToGuestSession(
  db: DbOrTx,
  params: { ticketId: string; guestSessionId: string },
): Promise<void> {
  await db
    .update(tickets)
    .set({ guestSessionId: params.guestSessionId })
    .where(eq(tickets.id, params.ticketId));
}

/** The columns a change to a ticket may set (counters are set by `bumpThread`). */
export type TicketChanges = Partial<
  Pick<
    TicketRow,
    | 'status'
    | 'priority'
    | 'category'
    | 'assigneeId'
    | 'firstResponseAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'updatedAt'
    | 'publicUpdatedAt'
    | 'lastSeq'
    | 'responseCount'
    | 'messageCount'
    | 'publicMessageCount'
    | 'lastMessageAt'
    | 'lastPublicMessageAt'
    | 'ratingScore'
    | 'ratingComment'
    | 'ratedAt'
    | 'botState'
    | 'botFailures'
    | 'handedOffAt'
  >
>;

export async function updateTicketRow(
  tx: DbOrTx,
  params: { ticketId: string; changes: TicketChanges },
): Promise<TicketRow> {
  const { ticketId, changes } = params;
  const [row] = await tx.update(tickets).set(changes).where(eq(tickets.id, ticketId)).returning();
  if (!row) throw new Error(`ticket ${ticketId} vanished while locked`);
  return row;
}

/**
 * Locks up to `limit` tickets resolved before `cutoff`, skipping rows another process
 * (or a reply in flight) holds: several servers can run the auto-close job at once.
 */
export async function lockStaleResolvedTickets(
  tx: DbOrTx,
  params: { cutoff: Date; limit: number },
): Promise<TicketRow[]> {
  const { cutoff, limit } = params;
  return tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.status, 'resolved'), lt(tickets.resolvedAt, cutoff)))
    .orderBy(asc(tickets.resolvedAt))
    .limit(limit)
    .for('no key update', { skipLocked: true });
}
