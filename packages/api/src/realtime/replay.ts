import { events, type Db, type EventRow } from '@parley/db';
import { and, asc, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import { isAgent, type Viewer } from './events';

/** Which part of the log a stream covers. */
export type ReplayScope = { viewer: Viewer; ticketId: string | null };

/** The audience rule of `mayReceive`, in SQL, for the range (after, upTo]. */
function visibleIn(scope: ReplayScope, after: number, upTo: number): SQL | undefined {
  return and(
    gt(events.id, after),
    lte(events.id, upTo),
    scope.ticketId === null ? undefined : eq(events.ticketId, scope.ticketId),
    isAgent(scope.viewer)
      ? undefined
      : and(eq(events.customerId, scope.viewer.id), eq(events.audience, 'all')),
  );
}

/** How many events of the range the viewer may see, counting no further than `cap`. */
export async function countVisible(
  db: Db,
  scope: ReplayScope,
  after: number,
  upTo: number,
  cap: number,
) {
  const capped = db
    .select({ one: sql`1` })
    .from(events)
    .where(visibleIn(scope, after, upTo))
    .limit(cap)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  return row?.n ?? 0;
}

/** The next events of the range the viewer may see, oldest first. */
export async function readVisible(
  db: Db,
  scope: ReplayScope,
  after: number,
  upTo: number,
  limit: number,
): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(visibleIn(scope, after, upTo))
    .orderBy(asc(events.id))
    .limit(limit);
}
