import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

/** The drizzle handle every query function takes. `$client` is the pool behind it. */
export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/**
 * A handle inside a transaction: drizzle's, or one on a pooled connection holding an open
 * transaction (`transactionWritingAtCommit`). Query functions accept any of them.
 */
export type Tx =
  | Parameters<Parameters<Db['transaction']>[0]>[0]
  | (NodePgDatabase<typeof schema> & { $client: pg.PoolClient });
export type DbOrTx = Db | Tx;

// Timestamps and bigints come back as JS values; `timestamptz` as Date (drizzle maps).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type CreateDbOptions = { max?: number; applicationName?: string };

const ignore = () => {};

export function createDb(url: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A connect that gets no answer (or a wait for a free connection) fails after this,
    // rather than holding its caller, and the pool's end, for ever.
    connectionTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'parley',
  });
  // A client that errors (server restart, failover, a terminated backend: 57P01) must not
  // crash the process. pg-pool listens only while a client is idle: one checked out (a
  // transaction between two statements) would emit an unhandled 'error'. Every client
  // gets a listener for its whole life; its next query fails ("unavailable") and the
  // pool discards it on release, so the next checkout opens a fresh connection.
  pool.on('connect', (client) => client.on('error', ignore));
  pool.on('error', ignore);
  return drizzle(pool, { schema, casing: 'snake_case' });
}

export async function closeDb(db: Db): Promise<void> {
  await db.$client.end();
}

/** The pool's connections at a moment: all of them, those free, and callers waiting. */
export type PoolCounts = { total: number; idle: number; waiting: number };

/**
 * Ends the pool for a shutdown, waiting at most `ms`: `end` waits for every connection to
 * be given back, and a holder stuck on something that will not come (a connect nobody
 * answers, work waiting on a stopped part) would hold the shutdown for ever. Resolves
 * with null once ended, or with what was still there when the time ran out (the
 * process's exit closes those; a failed end is the same: nothing more to do).
 */
export async function endPoolWithin(db: Db, ms: number): Promise<PoolCounts | null> {
  const pool = db.$client;
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    pool.end().then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
  return ended
    ? null
    : { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** true when the database answers a trivial query. */
export async function pingDb(db: Db): Promise<boolean> {
  return db.$client
    .query('select 1')
    .then(() => true)
    .catch(() => false);
}
