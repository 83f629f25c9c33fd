import { prepared, rateLimits, type DbOrTx } from '@parley/db';
import { sql } from 'drizzle-orm';
import { AppError } from './errors';

export type Limit = { max: number; windowSeconds: number };

/** Every limit Parley enforces, in one place; tests shrink them through the context. */
export type RateLimits = {
  signInPerEmail: Limit;
  signInPerIp: Limit;
  signUpPerIp: Limit;
  signUpPerEmail: Limit;
  ticketsPerUser: Limit;
  messagesPerUser: Limit;
};

export const defaultRateLimits: RateLimits = {
  signInPerEmail: { max: 10, windowSeconds: 15 * 60 },
  signInPerIp: { max: 50, windowSeconds: 15 * 60 },
  signUpPerIp: { max: 20, windowSeconds: 60 * 60 },
  signUpPerEmail: { max: 5, windowSeconds: 60 * 60 },
  ticketsPerUser: { max: 20, windowSeconds: 60 * 60 },
  messagesPerUser: { max: 120, windowSeconds: 60 },
};

/**
 * Counts one hit against `key` in a fixed window shared by all server processes;
 * throws RATE_LIMITED (with the seconds until the window resets) once over `max`.
 */
export async function consumeRateLimit(db: DbOrTx, key: string, limit: Limit): Promise<void> {
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
  const [row] = await query.execute({ key, windowSeconds: limit.windowSeconds });
  if (row && row.count > limit.max) {
    const retryAfterSeconds = Math.max(1, row.retryAfter);
    throw new AppError('RATE_LIMITED', `Too many requests. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}
