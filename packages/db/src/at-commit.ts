import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db, Tx } from './client';
import type { NewEvent } from './queries/event-log';
import * as schema from './schema';
import { inlineParams, sqlLiteral } from './sql-literal';
import { insertText } from './sql-text';

/** A drizzle query builder (insert, update, delete) whose result the caller does not need. */
export type Statement = { toSQL(): { sql: string; params: unknown[] } };

/** Writes queued to travel with the transaction's COMMIT, in one round trip. */
export type AtCommit = {
  /**
   * Runs `statement` just before COMMIT, in the order queued: a drizzle builder, or SQL
   * text with its values already inline (`sql-text.ts`, for the hot path).
   */
  write(statement: Statement | string): void;
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
      const { atCommit, statements, events } = queue();
      const result = await fn(tx, atCommit);
      await client.query([...batchText(statements, events), 'commit'].join(';\n'));
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

function queue() {
  const statements: (Statement | string)[] = [];
  const events: NewEvent[] = [];
  const atCommit: AtCommit = {
    write: (statement) => statements.push(statement),
    log: (logged) => events.push(...logged),
  };
  return { atCommit, statements, events };
}

/** The queued writes as SQL text, values inline, the events' insert last. */
function batchText(statements: (Statement | string)[], events: NewEvent[]): string[] {
  const texts = statements.map((statement) =>
    typeof statement === 'string' ? statement : inlineParams(statement.toSQL()),
  );
  return events.length ? [...texts, insertText(schema.events, events)] : texts;
}

/** A ticket as read, with its row version (`xmin`) and the database clock at the read. */
export type TicketVersion = { ticketId: string; version: string; readAt: Date };

/** Why `writeIfTicketUnchanged` wrote nothing: the ticket changed since it was read. */
export const ticketChanged = Symbol('ticket changed');

/**
 * Writes a change computed from a ticket read earlier (not locked) in ONE round trip: a
 * single simple-protocol query, which Postgres runs as one transaction, made of
 * `parley_claim_ticket` (migration 0028: lock the row, as `lockTicket` does, if its
 * version is still the one read) and the writes `fn` queues, events last.
 *
 * `fn` runs synchronously on the pool's handle (it builds statements, it must not
 * query). Resolves to `ticketChanged` when the row changed since the read: nothing was
 * written, and the caller takes the locked path (`transactionWritingAtCommit`). Any
 * other error (a unique violation, say) rejects with `pg`'s error; nothing was written.
 */
export async function writeIfTicketUnchanged<T>(
  db: Db,
  seen: TicketVersion,
  fn: (handle: Db, atCommit: AtCommit) => T,
): Promise<T | typeof ticketChanged> {
  const { atCommit, statements, events } = queue();
  const result = fn(db, atCommit);
  const claim = `select parley_claim_ticket(${sqlLiteral(seen.ticketId)}, ${sqlLiteral(seen.version)})`;
  // Not `pool.query`: it discards the connection on any error, and a failed claim is an
  // everyday answer under contention (a new connection per failed claim collapsed B5).
  const client = await db.$client.connect();
  let broken: Error | undefined;
  try {
    await client.query([claim, ...batchText(statements, events)].join(';\n'));
  } catch (error) {
    // An error Postgres answered ended the query's implicit transaction: the connection is
    // fine. Anything else (the connection itself failed) keeps it out of the pool.
    if (!(error instanceof pg.DatabaseError)) {
      broken = error instanceof Error ? error : new Error(String(error));
    }
    if ((error as { code?: unknown } | null)?.code === 'PR409') return ticketChanged;
    throw error;
  } finally {
    client.release(broken);
  }
  return result;
}
