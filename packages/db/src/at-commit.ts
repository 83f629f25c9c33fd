import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Db, Tx } from './client';
import type { NewEvent } from './queries/event-log';
import * as schema from './schema';
import { inlineParams } from './sql-literal';

/** A drizzle query builder (insert, update, delete) whose result the caller does not need. */
export type Statement = { toSQL(): { sql: string; params: unknown[] } };

/** Writes queued to travel with the transaction's COMMIT, in one round trip. */
export type AtCommit = {
  /** Runs `statement` just before COMMIT, in the order queued. */
  write(statement: Statement): void;
  /** Logs `events` after every queued statement (the last statement before COMMIT). */
  log(events: NewEvent[]): void;
};

/** One drizzle handle per pooled connection, made once: pool clients are reused. */
const handles = new WeakMap<pg.PoolClient, Tx>();

function handleOn(client: pg.PoolClient): Tx {
  let handle = handles.get(client);
  if (!handle) {
    handle = drizzle(client, { schema, casing: 'snake_case' });
    handles.set(client, handle);
  }
  return handle;
}

/**
 * Runs `fn` in a transaction; the writes it queues on `atCommit` are sent together with
 * the COMMIT as one simple-protocol query (`update …; insert into events …; commit`).
 *
 * The `events_assign_id` trigger takes the cluster-wide event-id lock at the events
 * INSERT and holds it until the transaction ends. Sent as a statement of its own, the
 * lock would be held across a client round trip — the INSERT's reply, a turn of a busy
 * Node event loop, then COMMIT — and every writer in the cluster would queue behind
 * that. Sent with the COMMIT, it is held only for Postgres's own work. Writes whose
 * results nobody reads ride along and save their own round trips.
 *
 * An error in a queued write (a unique violation, say) rejects with `pg`'s error after
 * the transaction is rolled back.
 */
export async function transactionWritingAtCommit<T>(
  db: Db,
  fn: (tx: Tx, atCommit: AtCommit) => Promise<T>,
): Promise<T> {
  const client = await db.$client.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    try {
      const tx = handleOn(client);
      const statements: Statement[] = [];
      const events: NewEvent[] = [];
      const result = await fn(tx, {
        write: (statement) => statements.push(statement),
        log: (logged) => events.push(...logged),
      });
      if (events.length) statements.push(tx.insert(schema.events).values(events));
      const sql = statements.map((statement) => inlineParams(statement.toSQL()));
      await client.query([...sql, 'commit'].join(';\n'));
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    }
  } finally {
    // A connection that could not roll back is not handed to the next caller.
    client.release(broken);
  }
}
