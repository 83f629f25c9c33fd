import { and, asc, desc, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { prepared } from '../prepared';
import { events, type EventAudience, type EventRow } from '../schema';

/** An event as a write queues it for the log (see `AtCommit.log`). */
export type NewEvent = {
  ticketId: string;
  customerId: string;
  type: string;
  audience: EventAudience;
  payload: unknown;
  /** The contract version `payload` is in. */
  payloadVersion: number;
};

/** Reads the log forward from a commit-ordered cursor. */
export async function readEventsAfter(
  db: DbOrTx,
  params: { afterId: number; limit: number },
): Promise<EventRow[]> {
  const query = prepared(db, 'events_after', (handle) =>
    handle
      .select()
      .from(events)
      .where(gt(events.id, sql.placeholder('afterId')))
      .orderBy(asc(events.id))
      .limit(sql.placeholder('limit'))
      .prepare('events_after'),
  );
  return query.execute(params);
}

/** The newest event id, or 0 for an empty log. */
export async function latestEventId(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
  return row?.id ?? 0;
}

/**
 * A range of the log as one reader may see it: events in (after, upTo], of one ticket
 * or all (`ticketId` null), and for a customer only their own tickets' events meant for
 * everyone (`customerId`; null for an agent, who sees them all).
 */
export type VisibleRange = {
  after: number;
  upTo: number;
  ticketId: string | null;
  customerId: string | null;
};

function visibleIn(range: VisibleRange): SQL | undefined {
  return and(
    gt(events.id, range.after),
    lte(events.id, range.upTo),
    range.ticketId === null ? undefined : eq(events.ticketId, range.ticketId),
    range.customerId === null
      ? undefined
      : and(eq(events.customerId, range.customerId), eq(events.audience, 'all')),
  );
}

/** How many events of the range its reader may see, counting no further than `cap`. */
export async function countVisibleEvents(
  db: DbOrTx,
  params: { range: VisibleRange; cap: number },
): Promise<number> {
  const capped = db
    .select({ one: sql`1` })
    .from(events)
    .where(visibleIn(params.range))
    .limit(params.cap)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  return row?.n ?? 0;
}

/** The next events of the range its reader may see, oldest first. */
export async function readVisibleEvents(
  db: DbOrTx,
  params: { range: VisibleRange; limit: number },
): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(visibleIn(params.range))
    .orderBy(asc(events.id))
    .limit(params.limit);
}
