import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { prepared } from '../prepared';
import { rateLimits } from '../schema';

export type RateLimitHit = {
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the current window ends (may be 0 or less at its very end). */
  retryAfter: number;
};

/**
 * Counts one hit against `key` in a fixed window of `windowSeconds`, shared by every
 * server process: the window restarts (count 1) once it has passed.
 */
export async function hitRateLimit(
  db: DbOrTx,
  params: { key: string; windowSeconds: number },
): Promise<RateLimitHit | undefined> {
  const query = prepared(db, 'rate_limit_hit', (handle) => {
    const window = sql`make_interval(secs => ${sql.placeholder('windowSeconds')})`;
    return handle
      .insert(rateLimits)
      .values({ key: sql.placeholder('key'), windowStart: sql`now()`, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} <= now() - ${window} then 1 else ${rateLimits.count} + 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} <= now() - ${window} then now() else ${rateLimits.windowStart} end`,
        },
      })
      .returning({
        count: rateLimits.count,
        retryAfter: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + ${window} - now())))::int`,
      })
      .prepare('rate_limit_hit');
  });
  const [row] = await query.execute({ key: params.key, windowSeconds: params.windowSeconds });
  return row;
}

/**
 * `key`'s hits in its current window (an expired window counts as none), without
 * counting one: for limits that count failures and are checked before the attempt.
 */
export async function peekRateLimit(
  db: DbOrTx,
  params: { key: string; windowSeconds: number },
): Promise<RateLimitHit | undefined> {
  const query = prepared(db, 'rate_limit_peek', (handle) => {
    const window = sql`make_interval(secs => ${sql.placeholder('windowSeconds')})`;
    return handle
      .select({
        count: rateLimits.count,
        retryAfter: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + ${window} - now())))::int`,
      })
      .from(rateLimits)
      .where(
        sql`${rateLimits.key} = ${sql.placeholder('key')} and ${rateLimits.windowStart} > now() - ${window}`,
      )
      .prepare('rate_limit_peek');
  });
  const [row] = await query.execute({ key: params.key, windowSeconds: params.windowSeconds });
  return row;
}

/** Forgets `key`'s hits (a success that lifts a lockout). */
export async function clearRateLimit(db: DbOrTx, params: { key: string }): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, params.key));
}
