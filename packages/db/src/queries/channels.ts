import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';

/**
 * The NOTIFY channels of the realtime hub, named once. Migration 0001's trigger
 * notifies `parley_events` in SQL; keep the two in step.
 */
export const channels = {
  /** The events table's trigger wakes log readers here (empty payload). */
  events: 'parley_events',
  /** Ephemeral signals (typing, presence) between processes: never written to the log. */
  signals: 'parley_signals',
  /** Session ends: `{"session": "<sha256 of token>"}` or `{"user": "<id>"}`. */
  sessions: 'parley_sessions',
} as const;

/** Every channel a hub's LISTEN connection listens on. */
export const listenChannels: readonly string[] = Object.values(channels);

/** Publishes signal payloads, in order, in one statement. */
export async function notifySignals(db: DbOrTx, params: { payloads: string[] }): Promise<void> {
  if (params.payloads.length === 0) return;
  const calls = sql.join(
    params.payloads.map((payload) => sql`pg_notify(${channels.signals}, ${payload})`),
    sql`, `,
  );
  await db.execute(sql`select ${calls}`);
}

/**
 * Tells every process that a session (by token hash) or all of a user's sessions ended.
 * Inside a transaction it is delivered when the transaction commits, in commit order.
 */
export async function notifySessionsEnded(
  db: DbOrTx,
  params: { session: string } | { user: string },
): Promise<void> {
  const payload = 'session' in params ? { session: params.session } : { user: params.user };
  await db.execute(sql`select pg_notify(${channels.sessions}, ${JSON.stringify(payload)})`);
}
