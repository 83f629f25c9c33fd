import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client';
import { prepared } from '../prepared';
import { rateLimits } from '../schema';

export type RateLimitHit = {
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the current window ends (may be 0 or less at its very end). */
  retryAfter: number;
};

const windowOf = (seconds: string) => `make_interval(secs => ${seconds})`;

/**
 * The upsert of one hit against the key `$key` in a fixed window of `$seconds` (parameter
 * placeholders), inserted only `where` a condition holds, returning `RateLimitHit`.
 */
const hitSql = (key: string, seconds: string, where = '') => `
  insert into rate_limits as r (key, window_start, count)
  select ${key}, now(), 1 ${where}
  on conflict (key) do update set
    count = case when r.window_start <= now() - ${windowOf(seconds)} then 1 else r.count + 1 end,
    window_start = case when r.window_start <= now() - ${windowOf(seconds)} then now() else r.window_start end
  returning r.count,
    ceil(extract(epoch from (r.window_start + ${windowOf(seconds)} - now())))::int as "retryAfter"`;

/**
 * Counts one hit against `key` in a fixed window of `windowSeconds`, shared by every
 * server process: the window restarts (count 1) once it has passed.
 */
export async function hitRateLimit(
  db: Db,
  params: { key: string; windowSeconds: number },
): Promise<RateLimitHit | undefined> {
  const { rows } = await db.$client.query<RateLimitHit>({
    name: 'rate_limit_hit',
    text: hitSql('$1', '$2'),
    values: [params.key, params.windowSeconds],
  });
  return rows[0];
}

/**
 * Before a send, in one round trip: whether `authorId` has stored a message with
 * `clientId` already (a retry: nothing is counted), and if not, one hit against `key`
 * as `hitRateLimit` counts it.
 */
export async function hitRateLimitUnlessSent(
  db: Db,
  params: { key: string; windowSeconds: number; authorId: string; clientId: string },
): Promise<{ sent: true } | { sent: false; hit: RateLimitHit | undefined }> {
  const { rows } = await db.$client.query<{ sent: boolean } & Partial<RateLimitHit>>({
    name: 'rate_limit_hit_unless_sent',
    text: `
      with sent as (select 1 from messages where author_id = $3 and client_id = $4 limit 1),
      hit as (${hitSql('$1', '$2', 'where not exists (select 1 from sent)')})
      select exists (select 1 from sent) as sent, hit.count, hit."retryAfter"
      from (select 1) as one left join hit on true`,
    values: [params.key, params.windowSeconds, params.authorId, params.clientId],
  });
  const row = rows[0];
  if (row?.sent) return { sent: true };
  const hit =
    row?.count != null && row.retryAfter != null
      ? { count: row.count, retryAfter: row.retryAfter }
      : undefined;
  return { sent: false, hit };
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
