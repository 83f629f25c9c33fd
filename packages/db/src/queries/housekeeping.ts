import { isNotNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accountTokens, rateLimits, sessions } from '../schema';

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

/**
 * Deletes emailed links that can no longer be used (used or expired): a link unknown is
 * refused like a used one, and a pending sign-up's name and password hash go with it.
 */
export async function deleteSpentAccountTokens(db: DbOrTx): Promise<number> {
  const rows = await db
    .delete(accountTokens)
    .where(or(isNotNull(accountTokens.usedAt), lt(accountTokens.expiresAt, sql`now()`)))
    .returning({ id: accountTokens.id });
  return rows.length;
}
