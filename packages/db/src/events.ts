import { asc, desc, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from './client';
import { prepared } from './prepared';
import { events, type EventAudience, type EventRow } from './schema';

export type NewEvent = {
  ticketId: string;
  customerId: string;
  type: string;
  audience: EventAudience;
  payload: unknown;
  /** The contract version `payload` is in. */
  payloadVersion: number;
};

/**
 * Writes events in the caller's transaction. Call it as the transaction's last
 * statement: from here to COMMIT the transaction holds the event-id lock.
 */
export async function appendEvents(tx: DbOrTx, rows: NewEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(events).values(rows);
}

/** Reads the log forward from a commit-ordered cursor. */
export async function readEventsAfter(
  db: DbOrTx,
  afterId: number,
  limit: number,
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
  return query.execute({ afterId, limit });
}

/** The newest event id, or 0 for an empty log. */
export async function latestEventId(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
  return row?.id ?? 0;
}
