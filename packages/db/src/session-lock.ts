import type { Db } from './client';

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** Waiters for a share of one pool's connections. */
class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}

  async take(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
  }
}

const slotsOf = new WeakMap<Db, Slots>();

/**
 * Session locks held at once per pool: a quarter of its connections, so that the work
 * done under the locks (which needs connections of its own) always finds some.
 */
function slots(db: Db): Slots {
  let found = slotsOf.get(db);
  if (!found) {
    const max = (db.$client as { options?: { max?: number } }).options?.max ?? 10;
    found = new Slots(Math.max(1, Math.floor(max / 4)));
    slotsOf.set(db, found);
  }
  return found;
}

/**
 * Runs `fn` while holding a Postgres advisory lock named by `key` (a session lock on a
 * connection of its own, held across the transactions `fn` makes): callers with the same
 * key take turns, across every process on the database. The lock is released when `fn`
 * ends; a connection whose unlock fails is closed, which releases it too.
 */
export async function withSessionLock<T>(db: Db, key: string, fn: () => Promise<T>): Promise<T> {
  const share = slots(db);
  await share.take();
  try {
    const client = await db.$client.connect();
    try {
      await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
    } catch (error) {
      client.release(asError(error));
      throw error;
    }
    try {
      return await fn();
    } finally {
      try {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        client.release();
      } catch (error) {
        client.release(asError(error));
      }
    }
  } finally {
    share.give();
  }
}
