import { lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { rateLimits, sessions } from '../schema';

/** Deletes sessions past their expiry (they no longer authenticate anyway). */
export async function deleteExpiredSessions(db: DbOrTx): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, sql`now()`))
    .returning({ id: sessions.id });
  return rows.length;
}

/** Deletes rate-limit windows older than a day: no limit in Parley spans more. */
export async function pruneRateLimits(db: DbOrTx): Promise<number> {
  const rows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - interval '1 day'`))
    .returning({ key: rateLimits.key });
  return rows.length;
}
